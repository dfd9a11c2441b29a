// Loads and stores of single elements by dtype: the only place the reference backend looks at
// element bytes. Floats travel as double, integers and bool as int64 (exact for every i64).
#ifndef LATHE_REFERENCE_ELEMENT_H
#define LATHE_REFERENCE_ELEMENT_H

#include <cmath>
#include <cstring>
#include <stddef.h>
#include <stdint.h>

#include "../backend.h"
#include "../checks.h"
#include "../half.h"

namespace lathe_reference {

using lathe_checks::dtype_name;
using lathe_checks::is_float;
using lathe_checks::is_int;

inline size_t dtype_size(lathe_dtype dt) {
  switch (dt) {
    case LATHE_F64:
    case LATHE_I64: return 8;
    case LATHE_F32:
    case LATHE_I32: return 4;
    case LATHE_F16:
    case LATHE_BF16: return 2;
    case LATHE_BOOL: return 1;
  }
  return 1;
}

// Address of the element at `offset` (in elements) from v->data.
inline char* element_ptr(const lathe_view* v, int64_t offset) {
  return static_cast<char*>(v->data) + offset * static_cast<int64_t>(dtype_size(v->dtype));
}

// Element bytes as T and back; memcpy keeps this free of alignment and aliasing assumptions.
template <typename T>
T read_as(const char* p) {
  T x;
  std::memcpy(&x, p, sizeof x);
  return x;
}

template <typename T>
void write_as(char* p, T x) {
  std::memcpy(p, &x, sizeof x);
}

// Any dtype as double (i64 beyond 2^53 rounds; integer kernels use load_int instead).
inline double load_float(const lathe_view* v, int64_t offset) {
  const char* p = element_ptr(v, offset);
  switch (v->dtype) {
    case LATHE_F32: return read_as<float>(p);
    case LATHE_F64: return read_as<double>(p);
    case LATHE_I32: return read_as<int32_t>(p);
    case LATHE_I64: return static_cast<double>(read_as<int64_t>(p));
    case LATHE_BOOL: return read_as<uint8_t>(p) != 0 ? 1.0 : 0.0;
    case LATHE_F16: return lathe_f16_to_f32(read_as<uint16_t>(p));
    case LATHE_BF16: return lathe_bf16_to_f32(read_as<uint16_t>(p));
  }
  return 0.0;
}

// Rounds x to a float dtype. f16 and bf16 round through f32: the path half.h offers, so every
// backend that computes them in f32 rounds identically.
inline void store_float(const lathe_view* v, int64_t offset, double x) {
  char* p = element_ptr(v, offset);
  switch (v->dtype) {
    case LATHE_F32: write_as(p, static_cast<float>(x)); break;
    case LATHE_F64: write_as(p, x); break;
    case LATHE_F16: write_as(p, lathe_f32_to_f16(static_cast<float>(x))); break;
    case LATHE_BF16: write_as(p, lathe_f32_to_bf16(static_cast<float>(x))); break;
    default: break;
  }
}

// i32, i64 or bool as int64.
inline int64_t load_int(const lathe_view* v, int64_t offset) {
  const char* p = element_ptr(v, offset);
  switch (v->dtype) {
    case LATHE_I32: return read_as<int32_t>(p);
    case LATHE_I64: return read_as<int64_t>(p);
    case LATHE_BOOL: return read_as<uint8_t>(p) != 0 ? 1 : 0;
    default: return 0;
  }
}

// Stores to i32 (keeping the low 32 bits, two's complement), i64 or bool (x != 0).
inline void store_int(const lathe_view* v, int64_t offset, int64_t x) {
  char* p = element_ptr(v, offset);
  switch (v->dtype) {
    case LATHE_I32: write_as(p, static_cast<int32_t>(static_cast<uint32_t>(x))); break;
    case LATHE_I64: write_as(p, x); break;
    case LATHE_BOOL: write_as(p, static_cast<uint8_t>(x != 0 ? 1 : 0)); break;
    default: break;
  }
}

// Float to integer dtype like a C cast (truncation toward zero). A C cast is undefined for NaN
// and out-of-range values; here NaN gives 0 and the rest saturate at the dtype's limits.
inline int64_t float_to_int(double x, lathe_dtype dt) {
  if (std::isnan(x)) return 0;
  const bool i32 = dt == LATHE_I32;
  const double lo = i32 ? -2147483648.0 : -9223372036854775808.0;
  const double hi = i32 ? 2147483648.0 : 9223372036854775808.0;  // first value out of range
  if (x <= lo) return i32 ? INT32_MIN : INT64_MIN;
  if (x >= hi) return i32 ? INT32_MAX : INT64_MAX;
  return static_cast<int64_t>(x);
}

// Stores a double into any dtype with copy's conversion rules (used by copy and fill).
inline void store_converted(const lathe_view* v, int64_t offset, double x) {
  if (is_float(v->dtype)) {
    store_float(v, offset, x);
  } else if (v->dtype == LATHE_BOOL) {
    store_int(v, offset, x != 0.0 ? 1 : 0);
  } else {
    store_int(v, offset, float_to_int(x, v->dtype));
  }
}

}  // namespace lathe_reference

#endif  // LATHE_REFERENCE_ELEMENT_H
