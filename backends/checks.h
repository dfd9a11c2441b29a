// What every backend does before it computes: record an error message for last_error(), name
// dtypes and shapes in messages, and check views and arguments against backend.h's contract.
// The reference and cuda backends share these (and so their messages); a new backend includes
// this header too. Header-only C++ (like philox.h and half.h), host code only.
//
// The message buffer is one per thread and per shared object: backends built into one library
// share it, which is safe because the core reads last_error() right after the failing call, on
// the same thread; a plugin has its own.
#ifndef LATHE_BACKEND_CHECKS_H
#define LATHE_BACKEND_CHECKS_H

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"

namespace lathe_checks {

// A fixed buffer rather than std::string: reporting out-of-memory must not allocate.
inline thread_local char t_last_error[512] = "";

// Records a message for last_error() and returns `status`.
__attribute__((format(printf, 2, 3))) inline lathe_status fail(lathe_status status,
                                                               const char* format, ...) {
  va_list args;
  va_start(args, format);
  std::vsnprintf(t_last_error, sizeof t_last_error, format, args);
  va_end(args);
  return status;
}

inline const char* last_error() { return t_last_error; }

inline bool is_float(lathe_dtype dt) {
  return dt == LATHE_F32 || dt == LATHE_F64 || dt == LATHE_F16 || dt == LATHE_BF16;
}

inline bool is_int(lathe_dtype dt) { return dt == LATHE_I32 || dt == LATHE_I64; }

inline const char* dtype_name(lathe_dtype dt) {
  switch (dt) {
    case LATHE_F32: return "f32";
    case LATHE_F64: return "f64";
    case LATHE_I32: return "i32";
    case LATHE_I64: return "i64";
    case LATHE_BOOL: return "bool";
    case LATHE_F16: return "f16";
    case LATHE_BF16: return "bf16";
  }
  return "unknown dtype";
}

inline int64_t numel(const lathe_view* v) {
  int64_t n = 1;
  for (int32_t d = 0; d < v->ndim; ++d) n *= v->shape[d];
  return n;
}

// Row-major dense (extent-1 dims may have any stride).
inline bool contiguous(const lathe_view* v) {
  int64_t expected = 1;
  for (int32_t d = v->ndim - 1; d >= 0; --d) {
    if (v->shape[d] != 1 && v->strides[d] != expected) return false;
    expected *= v->shape[d];
  }
  return true;
}

// "[2, 3]" for error messages.
struct ShapeText {
  char text[256];
};

inline ShapeText shape_text(const lathe_view* v) {
  ShapeText s;
  size_t n = static_cast<size_t>(std::snprintf(s.text, sizeof s.text, "["));
  for (int32_t d = 0; d < v->ndim && n < sizeof s.text; ++d) {
    n += static_cast<size_t>(std::snprintf(s.text + n, sizeof s.text - n, "%s%lld",
                                           d > 0 ? ", " : "", static_cast<long long>(v->shape[d])));
  }
  if (n < sizeof s.text) std::snprintf(s.text + n, sizeof s.text - n, "]");
  return s;
}

// Cheap sanity checks on one view; strides are free (0 and negative are legal).
inline lathe_status check_view(const char* fn, const char* name, const lathe_view* v) {
  if (v == nullptr) return fail(LATHE_ERR_INVALID, "%s: %s is NULL", fn, name);
  if (v->ndim < 0 || v->ndim > LATHE_MAX_DIMS) {
    return fail(LATHE_ERR_INVALID, "%s: %s has ndim %d, expected 0..%d", fn, name, v->ndim,
                LATHE_MAX_DIMS);
  }
  // Read the dtype as an int: C callers may store any int there, and C++ must not load an
  // out-of-range value as lathe_dtype.
  int dtype_value;
  static_assert(sizeof dtype_value == sizeof v->dtype, "lathe_dtype is int-sized");
  std::memcpy(&dtype_value, &v->dtype, sizeof dtype_value);
  if (dtype_value < LATHE_F32 || dtype_value > LATHE_BF16) {
    return fail(LATHE_ERR_INVALID, "%s: %s has unknown dtype %d", fn, name, dtype_value);
  }
  for (int32_t d = 0; d < v->ndim; ++d) {
    if (v->shape[d] < 0) {
      return fail(LATHE_ERR_INVALID, "%s: %s has negative extent %lld on axis %d", fn, name,
                  static_cast<long long>(v->shape[d]), d);
    }
  }
  if (v->data == nullptr && numel(v) > 0) {
    return fail(LATHE_ERR_INVALID, "%s: %s has no data but %lld elements", fn, name,
                static_cast<long long>(numel(v)));
  }
  return LATHE_OK;
}

inline lathe_status check_same_shape(const char* fn, const char* name_a, const lathe_view* a,
                                     const char* name_b, const lathe_view* b) {
  bool same = a->ndim == b->ndim;
  for (int32_t d = 0; same && d < a->ndim; ++d) same = a->shape[d] == b->shape[d];
  if (!same) {
    return fail(LATHE_ERR_INVALID, "%s: %s has shape %s but %s has shape %s", fn, name_a,
                shape_text(a).text, name_b, shape_text(b).text);
  }
  return LATHE_OK;
}

inline lathe_status check_same_dtype(const char* fn, const char* name_a, const lathe_view* a,
                                     const char* name_b, const lathe_view* b) {
  if (a->dtype != b->dtype) {
    return fail(LATHE_ERR_INVALID, "%s: %s is %s but %s is %s", fn, name_a, dtype_name(a->dtype),
                name_b, dtype_name(b->dtype));
  }
  return LATHE_OK;
}

inline lathe_status check_dtype_is(const char* fn, const char* name, const lathe_view* v,
                                   lathe_dtype want) {
  if (v->dtype != want) {
    return fail(LATHE_ERR_INVALID, "%s: %s must be %s, got %s", fn, name, dtype_name(want),
                dtype_name(v->dtype));
  }
  return LATHE_OK;
}

inline lathe_status check_axis(const char* fn, int32_t axis, int32_t ndim) {
  if (axis < 0 || axis >= ndim) {
    return fail(LATHE_ERR_INVALID, "%s: axis %d is out of range for ndim %d", fn, axis, ndim);
  }
  return LATHE_OK;
}

inline lathe_status unsupported_dtype(const char* fn, lathe_dtype dt) {
  return fail(LATHE_ERR_UNSUPPORTED, "%s: dtype %s is not supported", fn, dtype_name(dt));
}

}  // namespace lathe_checks

#endif  // LATHE_BACKEND_CHECKS_H
