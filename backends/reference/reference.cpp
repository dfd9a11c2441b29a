// The reference backend: plain single-threaded loops over strided views. It is the specification
// every other backend is tested against, so each kernel favours the obvious loop over speed.
// Numeric rules (README.md): floats compute in double and round on store; i32/i64 compute in
// int64 and wrap; bool is one byte 0/1.
#include "reference.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <numeric>
#include <vector>

#include "../checks.h"
#include "../philox.h"
#include "../special.h"
#include "element.h"
#include "linalg.h"
#include "strided.h"

namespace lathe_reference {
namespace {

// ---------------------------------------------------------------------------------------------
// Errors and argument checks

// fail(), the view checks and the dtype and shape names are shared with the other backends
// (../checks.h), so every backend words the same mistake the same way.
using lathe_checks::check_axis;
using lathe_checks::check_dtype_is;
using lathe_checks::check_same_dtype;
using lathe_checks::check_same_shape;
using lathe_checks::check_view;
using lathe_checks::fail;
using lathe_checks::numel;
using lathe_checks::shape_text;
using lathe_checks::unsupported_dtype;

#define RETURN_IF_ERROR(expr)                \
  do {                                       \
    const lathe_status status_ = (expr);     \
    if (status_ != LATHE_OK) return status_; \
  } while (0)

const char* const kUnaryNames[] = {"NEG",     "EXP",  "LOG",      "SQRT", "RSQRT",
                                   "ABS",     "SIGN", "SIN",      "COS",  "TANH",
                                   "SIGMOID", "RELU", "SOFTPLUS", "ERF",  "NOT",
                                   "LOG1P",   "EXPM1", "SINH",    "COSH", "ATANH",
                                   "ASINH",   "ACOSH", "LGAMMA",  "DIGAMMA", "POLYGAMMA",
                                   "ERFINV",  "FLOOR", "CEIL",    "ROUND", "TRUNC"};
static_assert(sizeof kUnaryNames / sizeof kUnaryNames[0] == LATHE_UNARY_COUNT, "unary names");

const char* const kBinaryNames[] = {"ADD", "SUB", "MUL", "DIV", "POW", "MAXIMUM", "MINIMUM", "EQ",
                                    "NE",  "LT",  "LE",  "GT",  "GE",  "AND",     "OR",
                                    "ATAN2", "HYPOT"};
static_assert(sizeof kBinaryNames / sizeof kBinaryNames[0] == LATHE_BINARY_COUNT, "binary names");

const char* const kReduceNames[] = {"SUM", "MAX", "MIN", "ARGMAX", "ARGMIN"};
static_assert(sizeof kReduceNames / sizeof kReduceNames[0] == LATHE_REDUCE_COUNT, "reduce names");

lathe_status check_device(const char* fn, int32_t device) {
  if (device != 0) {
    return fail(LATHE_ERR_DEVICE, "%s: no device %d (the reference backend has device 0 only)", fn,
                device);
  }
  return LATHE_OK;
}

// Integer arithmetic wraps like two's complement hardware (signed overflow is undefined in C++).
int64_t wrap_add(int64_t x, int64_t y) {
  return static_cast<int64_t>(static_cast<uint64_t>(x) + static_cast<uint64_t>(y));
}
int64_t wrap_sub(int64_t x, int64_t y) {
  return static_cast<int64_t>(static_cast<uint64_t>(x) - static_cast<uint64_t>(y));
}
int64_t wrap_mul(int64_t x, int64_t y) {
  return static_cast<int64_t>(static_cast<uint64_t>(x) * static_cast<uint64_t>(y));
}

// ---------------------------------------------------------------------------------------------
// Device and memory

int32_t ref_device_count(void) { return 1; }

const char* ref_describe(void) { return "reference: plain loops, 1 thread"; }

lathe_status ref_alloc(int32_t device, size_t nbytes, void** out) {
  RETURN_IF_ERROR(check_device("alloc", device));
  if (out == nullptr) return fail(LATHE_ERR_INVALID, "alloc: out is NULL");
  *out = nullptr;
  if (nbytes > SIZE_MAX - 63) {
    return fail(LATHE_ERR_OUT_OF_MEMORY, "alloc: %zu bytes is too large", nbytes);
  }
  // aligned_alloc wants a multiple of the alignment; 0 bytes still gets its own block so every
  // allocation is a unique pointer that free accepts.
  const size_t size = nbytes == 0 ? 64 : (nbytes + 63) / 64 * 64;
  void* p = std::aligned_alloc(64, size);
  if (p == nullptr) {
    return fail(LATHE_ERR_OUT_OF_MEMORY, "alloc: out of memory allocating %zu bytes", nbytes);
  }
  *out = p;
  return LATHE_OK;
}

lathe_status ref_free(int32_t device, void* ptr) {
  RETURN_IF_ERROR(check_device("free", device));
  std::free(ptr);
  return LATHE_OK;
}

lathe_status ref_copy_from_host(int32_t device, void* dst, const void* src, size_t nbytes) {
  RETURN_IF_ERROR(check_device("copy_from_host", device));
  if (nbytes > 0 && (dst == nullptr || src == nullptr)) {
    return fail(LATHE_ERR_INVALID, "copy_from_host: NULL pointer for %zu bytes", nbytes);
  }
  if (nbytes > 0) std::memcpy(dst, src, nbytes);
  return LATHE_OK;
}

lathe_status ref_copy_to_host(int32_t device, void* dst, const void* src, size_t nbytes) {
  RETURN_IF_ERROR(check_device("copy_to_host", device));
  if (nbytes > 0 && (dst == nullptr || src == nullptr)) {
    return fail(LATHE_ERR_INVALID, "copy_to_host: NULL pointer for %zu bytes", nbytes);
  }
  if (nbytes > 0) std::memcpy(dst, src, nbytes);
  return LATHE_OK;
}

lathe_status ref_synchronize(int32_t device) { return check_device("synchronize", device); }

const char* ref_last_error(void) { return lathe_checks::last_error(); }

// ---------------------------------------------------------------------------------------------
// copy, fill

// dst = src with dtype conversion (store_converted has the rules).
lathe_status ref_copy(int32_t device, const lathe_view* src, const lathe_view* dst) {
  const char* fn = "copy";
  RETURN_IF_ERROR(check_device(fn, device));
  RETURN_IF_ERROR(check_view(fn, "src", src));
  RETURN_IF_ERROR(check_view(fn, "dst", dst));
  RETURN_IF_ERROR(check_same_shape(fn, "src", src, "dst", dst));
  // Integer/bool to integer/bool goes through int64 so i64 values above 2^53 stay exact.
  const bool exact_int = !is_float(src->dtype) && !is_float(dst->dtype);
  StridedIter it(dst->ndim, dst->shape);
  it.add(src->strides);
  it.add(dst->strides);
  for (; !it.done; it.next()) {
    if (exact_int) {
      store_int(dst, it.offset[1], load_int(src, it.offset[0]));
    } else {
      store_converted(dst, it.offset[1], load_float(src, it.offset[0]));
    }
  }
  return LATHE_OK;
}

// Every element of dst = value, converted as copy converts a double.
lathe_status ref_fill(int32_t device, const lathe_view* dst, double value) {
  const char* fn = "fill";
  RETURN_IF_ERROR(check_device(fn, device));
  RETURN_IF_ERROR(check_view(fn, "dst", dst));
  StridedIter it(dst->ndim, dst->shape);
  it.add(dst->strides);
  for (; !it.done; it.next()) store_converted(dst, it.offset[0], value);
  return LATHE_OK;
}

// ---------------------------------------------------------------------------------------------
// unary

double unary_float(lathe_unary_op op, double x, double a, double b) {
  switch (op) {
    case LATHE_UNARY_NEG: return -x;
    case LATHE_UNARY_EXP: return std::exp(x);
    case LATHE_UNARY_LOG: return std::log(x);
    case LATHE_UNARY_SQRT: return std::sqrt(x);
    case LATHE_UNARY_RSQRT: return 1.0 / std::sqrt(x);
    case LATHE_UNARY_ABS: return std::fabs(x);
    case LATHE_UNARY_SIGN:
      if (std::isnan(x)) return x;
      return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
    case LATHE_UNARY_SIN: return std::sin(x);
    case LATHE_UNARY_COS: return std::cos(x);
    case LATHE_UNARY_TANH: return std::tanh(x);
    case LATHE_UNARY_SIGMOID: {
      // exp only ever sees -|x|, so large |x| neither overflows nor makes inf/inf = NaN.
      if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
      const double e = std::exp(x);
      return e / (1.0 + e);
    }
    case LATHE_UNARY_RELU: return std::isnan(x) || x > 0 ? x : 0.0;
    case LATHE_UNARY_SOFTPLUS: return a * x > b ? x : std::log1p(std::exp(a * x)) / a;
    case LATHE_UNARY_ERF: return std::erf(x);
    case LATHE_UNARY_LOG1P: return std::log1p(x);
    case LATHE_UNARY_EXPM1: return std::expm1(x);
    case LATHE_UNARY_SINH: return std::sinh(x);
    case LATHE_UNARY_COSH: return std::cosh(x);
    case LATHE_UNARY_ATANH: return std::atanh(x);
    case LATHE_UNARY_ASINH: return std::asinh(x);
    case LATHE_UNARY_ACOSH: return std::acosh(x);
    case LATHE_UNARY_LGAMMA: return std::lgamma(x);
    case LATHE_UNARY_DIGAMMA: return lathe_digamma(x);
    case LATHE_UNARY_POLYGAMMA: return lathe_polygamma(static_cast<int>(a), x);
    case LATHE_UNARY_ERFINV: return lathe_erfinv(x);
    case LATHE_UNARY_FLOOR: return std::floor(x);
    case LATHE_UNARY_CEIL: return std::ceil(x);
    case LATHE_UNARY_ROUND: return std::nearbyint(x);
    case LATHE_UNARY_TRUNC: return std::trunc(x);
    default: return x;  // NOT is bool-only and never gets here
  }
}

// The ops that make sense on integers: NEG, ABS, SIGN, RELU.
bool unary_has_int(lathe_unary_op op) {
  return op == LATHE_UNARY_NEG || op == LATHE_UNARY_ABS || op == LATHE_UNARY_SIGN ||
         op == LATHE_UNARY_RELU;
}

int64_t unary_int(lathe_unary_op op, int64_t x) {
  switch (op) {
    case LATHE_UNARY_NEG: return wrap_sub(0, x);
    case LATHE_UNARY_ABS: return x < 0 ? wrap_sub(0, x) : x;
    case LATHE_UNARY_SIGN: return x > 0 ? 1 : (x < 0 ? -1 : 0);
    case LATHE_UNARY_RELU: return x > 0 ? x : 0;
    default: return x;
  }
}

// out = op(in): floats in double, NEG/ABS/SIGN/RELU also on ints, NOT on bool only.
lathe_status ref_unary(int32_t device, lathe_unary_op op, const lathe_view* in,
                       const lathe_view* out, double a, double b) {
  const char* fn = "unary";
  RETURN_IF_ERROR(check_device(fn, device));
  RETURN_IF_ERROR(check_view(fn, "in", in));
  RETURN_IF_ERROR(check_view(fn, "out", out));
  RETURN_IF_ERROR(check_same_shape(fn, "in", in, "out", out));
  RETURN_IF_ERROR(check_same_dtype(fn, "in", in, "out", out));
  if (static_cast<int>(op) < 0 || static_cast<int>(op) >= LATHE_UNARY_COUNT) {
    return fail(LATHE_ERR_INVALID, "unary: unknown op %d", static_cast<int>(op));
  }
  const lathe_dtype dt = in->dtype;
  const bool supported =
      op == LATHE_UNARY_NOT ? dt == LATHE_BOOL : is_float(dt) || (is_int(dt) && unary_has_int(op));
  if (!supported) {
    return fail(LATHE_ERR_UNSUPPORTED, "unary: %s is not supported for %s", kUnaryNames[op],
                dtype_name(dt));
  }
  StridedIter it(out->ndim, out->shape);
  it.add(in->strides);
  it.add(out->strides);
  for (; !it.done; it.next()) {
    if (op == LATHE_UNARY_NOT) {
      store_int(out, it.offset[1], load_int(in, it.offset[0]) == 0 ? 1 : 0);
    } else if (is_float(dt)) {
      store_float(out, it.offset[1], unary_float(op, load_float(in, it.offset[0]), a, b));
    } else {
      store_int(out, it.offset[1], unary_int(op, load_int(in, it.offset[0])));
    }
  }
  return LATHE_OK;
}

// ---------------------------------------------------------------------------------------------
// binary

bool is_comparison(lathe_binary_op op) { return op >= LATHE_BINARY_EQ && op <= LATHE_BINARY_GE; }

bool is_logical(lathe_binary_op op) { return op == LATHE_BINARY_AND || op == LATHE_BINARY_OR; }

double arith_float(lathe_binary_op op, double x, double y) {
  switch (op) {
    case LATHE_BINARY_ADD: return x + y;
    case LATHE_BINARY_SUB: return x - y;
    case LATHE_BINARY_MUL: return x * y;
    case LATHE_BINARY_DIV: return x / y;
    case LATHE_BINARY_POW: return std::pow(x, y);
    // std::fmax/fmin would drop the NaN; these ops propagate it.
    case LATHE_BINARY_MAXIMUM: return std::isnan(x) || std::isnan(y) ? NAN : (x > y ? x : y);
    case LATHE_BINARY_MINIMUM: return std::isnan(x) || std::isnan(y) ? NAN : (x < y ? x : y);
    case LATHE_BINARY_ATAN2: return std::atan2(x, y);
    case LATHE_BINARY_HYPOT: return std::hypot(x, y);
    default: return 0.0;
  }
}

int64_t arith_int(lathe_binary_op op, int64_t x, int64_t y) {
  switch (op) {
    case LATHE_BINARY_ADD: return wrap_add(x, y);
    case LATHE_BINARY_SUB: return wrap_sub(x, y);
    case LATHE_BINARY_MUL: return wrap_mul(x, y);
    case LATHE_BINARY_MAXIMUM: return x > y ? x : y;
    case LATHE_BINARY_MINIMUM: return x < y ? x : y;
    default: return 0;
  }
}

// Comparisons on doubles follow IEEE: every comparison with NaN is false except NE.
bool compare_float(lathe_binary_op op, double x, double y) {
  switch (op) {
    case LATHE_BINARY_EQ: return x == y;
    case LATHE_BINARY_NE: return x != y;
    case LATHE_BINARY_LT: return x < y;
    case LATHE_BINARY_LE: return x <= y;
    case LATHE_BINARY_GT: return x > y;
    case LATHE_BINARY_GE: return x >= y;
    default: return false;
  }
}

bool compare_int(lathe_binary_op op, int64_t x, int64_t y) {
  switch (op) {
    case LATHE_BINARY_EQ: return x == y;
    case LATHE_BINARY_NE: return x != y;
    case LATHE_BINARY_LT: return x < y;
    case LATHE_BINARY_LE: return x <= y;
    case LATHE_BINARY_GT: return x > y;
    case LATHE_BINARY_GE: return x >= y;
    default: return false;
  }
}

bool binary_supported(lathe_binary_op op, lathe_dtype dt) {
  if (is_logical(op)) return dt == LATHE_BOOL;
  if (is_comparison(op)) {
    return is_float(dt) || is_int(dt) ||
           (dt == LATHE_BOOL && (op == LATHE_BINARY_EQ || op == LATHE_BINARY_NE));
  }
  const bool float_only = op == LATHE_BINARY_DIV || op == LATHE_BINARY_POW ||
                          op == LATHE_BINARY_ATAN2 || op == LATHE_BINARY_HYPOT;
  return is_float(dt) || (is_int(dt) && !float_only);
}

// out = a op b; a and b share a dtype, out is bool for comparisons and AND/OR.
lathe_status ref_binary(int32_t device, lathe_binary_op op, const lathe_view* a,
                        const lathe_view* b, const lathe_view* out) {
  const char* fn = "binary";
  RETURN_IF_ERROR(check_device(fn, device));
  RETURN_IF_ERROR(check_view(fn, "a", a));
  RETURN_IF_ERROR(check_view(fn, "b", b));
  RETURN_IF_ERROR(check_view(fn, "out", out));
  RETURN_IF_ERROR(check_same_shape(fn, "a", a, "out", out));
  RETURN_IF_ERROR(check_same_shape(fn, "b", b, "out", out));
  RETURN_IF_ERROR(check_same_dtype(fn, "a", a, "b", b));
  if (static_cast<int>(op) < 0 || static_cast<int>(op) >= LATHE_BINARY_COUNT) {
    return fail(LATHE_ERR_INVALID, "binary: unknown op %d", static_cast<int>(op));
  }
  const lathe_dtype dt = a->dtype;
  const bool to_bool = is_comparison(op) || is_logical(op);
  if (out->dtype != (to_bool ? LATHE_BOOL : dt)) {
    return fail(LATHE_ERR_INVALID, "binary: %s of %s gives %s, but out is %s", kBinaryNames[op],
                dtype_name(dt), dtype_name(to_bool ? LATHE_BOOL : dt), dtype_name(out->dtype));
  }
  if (!binary_supported(op, dt)) {
    return fail(LATHE_ERR_UNSUPPORTED, "binary: %s is not supported for %s", kBinaryNames[op],
                dtype_name(dt));
  }
  StridedIter it(out->ndim, out->shape);
  it.add(a->strides);
  it.add(b->strides);
  it.add(out->strides);
  for (; !it.done; it.next()) {
    const int64_t oa = it.offset[0], ob = it.offset[1], oo = it.offset[2];
    if (is_float(dt)) {
      const double x = load_float(a, oa), y = load_float(b, ob);
      if (is_comparison(op)) {
        store_int(out, oo, compare_float(op, x, y));
      } else {
        store_float(out, oo, arith_float(op, x, y));
      }
    } else {
      const int64_t x = load_int(a, oa), y = load_int(b, ob);
      if (is_comparison(op)) {
        store_int(out, oo, compare_int(op, x, y));
      } else if (is_logical(op)) {
        store_int(out, oo, op == LATHE_BINARY_AND ? (x != 0 && y != 0) : (x != 0 || y != 0));
      } else {
        store_int(out, oo, arith_int(op, x, y));
      }
    }
  }
  return LATHE_OK;
}

// ---------------------------------------------------------------------------------------------
// where

// out = cond ? a : b, by element bytes (any dtype).
lathe_status ref_where(int32_t device, const lathe_view* cond, const lathe_view* a,
                       const lathe_view* b, const lathe_view* out) {
  const char* fn = "where";
  RETURN_IF_ERROR(check_device(fn, device));
  RETURN_IF_ERROR(check_view(fn, "cond", cond));
  RETURN_IF_ERROR(check_view(fn, "a", a));
  RETURN_IF_ERROR(check_view(fn, "b", b));
  RETURN_IF_ERROR(check_view(fn, "out", out));
  RETURN_IF_ERROR(check_same_shape(fn, "cond", cond, "out", out));
  RETURN_IF_ERROR(check_same_shape(fn, "a", a, "out", out));
  RETURN_IF_ERROR(check_same_shape(fn, "b", b, "out", out));
  RETURN_IF_ERROR(check_dtype_is(fn, "cond", cond, LATHE_BOOL));
  RETURN_IF_ERROR(check_same_dtype(fn, "a", a, "out", out));
  RETURN_IF_ERROR(check_same_dtype(fn, "b", b, "out", out));
  const size_t size = dtype_size(out->dtype);
  StridedIter it(out->ndim, out->shape);
  it.add(cond->strides);
  it.add(a->strides);
  it.add(b->strides);
  it.add(out->strides);
  for (; !it.done; it.next()) {
    const void* from = load_int(cond, it.offset[0]) != 0 ? element_ptr(a, it.offset[1])
                                                         : element_ptr(b, it.offset[2]);
    std::memcpy(element_ptr(out, it.offset[3]), from, size);
  }
  return LATHE_OK;
}

// ---------------------------------------------------------------------------------------------
// reduce

// SUM, MAX or MIN over one block of a float view (block_shape: in's extent on reduced axes, 1
// elsewhere; base: offset of the block's first element). The block is not empty for MAX/MIN.
double reduce_block_float(lathe_reduce_op op, const lathe_view* in, int64_t base,
                          const int64_t* block_shape) {
  double acc = op == LATHE_REDUCE_SUM ? 0.0 : (op == LATHE_REDUCE_MAX ? -INFINITY : INFINITY);
  StridedIter it(in->ndim, block_shape);
  it.add(in->strides);
  for (; !it.done; it.next()) {
    const double x = load_float(in, base + it.offset[0]);
    if (op == LATHE_REDUCE_SUM) {
      acc += x;
    } else if (std::isnan(x)) {
      return x;
    } else if (op == LATHE_REDUCE_MAX ? x > acc : x < acc) {
      acc = x;
    }
  }
  return acc;
}

int64_t reduce_block_int(lathe_reduce_op op, const lathe_view* in, int64_t base,
                         const int64_t* block_shape) {
  int64_t acc = op == LATHE_REDUCE_SUM ? 0 : (op == LATHE_REDUCE_MAX ? INT64_MIN : INT64_MAX);
  StridedIter it(in->ndim, block_shape);
  it.add(in->strides);
  for (; !it.done; it.next()) {
    const int64_t x = load_int(in, base + it.offset[0]);
    if (op == LATHE_REDUCE_SUM) {
      acc = wrap_add(acc, x);
    } else if (op == LATHE_REDUCE_MAX ? x > acc : x < acc) {
      acc = x;
    }
  }
  return acc;
}

// Index of the first maximum (ARGMAX) or minimum (ARGMIN) along a non-empty axis; a NaN counts
// as both, so the first NaN wins.
int64_t arg_extreme(lathe_reduce_op op, const lathe_view* in, int64_t base, int32_t axis) {
  const int64_t n = in->shape[axis];
  const int64_t stride = in->strides[axis];
  const bool want_max = op == LATHE_REDUCE_ARGMAX;
  int64_t best = 0;
  if (is_float(in->dtype)) {
    double best_value = load_float(in, base);
    for (int64_t j = 1; j < n && !std::isnan(best_value); ++j) {
      const double x = load_float(in, base + j * stride);
      if (std::isnan(x) || (want_max ? x > best_value : x < best_value)) {
        best = j;
        best_value = x;
      }
    }
  } else {
    int64_t best_value = load_int(in, base);
    for (int64_t j = 1; j < n; ++j) {
      const int64_t x = load_int(in, base + j * stride);
      if (want_max ? x > best_value : x < best_value) {
        best = j;
        best_value = x;
      }
    }
  }
  return best;
}

// Keepdim reduction over the axes set in `axes` (0 = copy). SUM of nothing is 0; MAX, MIN and
// the ARG ops of nothing are errors.
lathe_status ref_reduce(int32_t device, lathe_reduce_op op, const lathe_view* in,
                        const lathe_view* out, uint32_t axes) {
  const char* fn = "reduce";
  RETURN_IF_ERROR(check_device(fn, device));
  RETURN_IF_ERROR(check_view(fn, "in", in));
  RETURN_IF_ERROR(check_view(fn, "out", out));
  if (static_cast<int>(op) < 0 || static_cast<int>(op) >= LATHE_REDUCE_COUNT) {
    return fail(LATHE_ERR_INVALID, "reduce: unknown op %d", static_cast<int>(op));
  }
  const char* name = kReduceNames[op];
  if (out->ndim != in->ndim) {
    return fail(LATHE_ERR_INVALID, "reduce: out has ndim %d but in has ndim %d (keepdim form)",
                out->ndim, in->ndim);
  }
  if ((axes >> in->ndim) != 0) {
    return fail(LATHE_ERR_INVALID, "reduce: axes mask 0x%x names an axis beyond ndim %d", axes,
                in->ndim);
  }
  int64_t block_shape[LATHE_MAX_DIMS];
  int64_t block_count = 1;
  int32_t axis = -1;  // the only reduced axis, for the ARG ops
  int32_t reduced_axes = 0;
  for (int32_t d = 0; d < in->ndim; ++d) {
    const bool reduced = (axes >> d) & 1u;
    block_shape[d] = reduced ? in->shape[d] : 1;
    block_count *= block_shape[d];
    if (reduced) {
      axis = d;
      ++reduced_axes;
    }
    if (out->shape[d] != (reduced ? 1 : in->shape[d])) {
      return fail(LATHE_ERR_INVALID, "reduce: out shape %s does not match in shape %s, axes 0x%x",
                  shape_text(out).text, shape_text(in).text, axes);
    }
  }
  const bool arg = op == LATHE_REDUCE_ARGMAX || op == LATHE_REDUCE_ARGMIN;
  if (arg) {
    if (reduced_axes != 1) {
      return fail(LATHE_ERR_INVALID, "reduce: %s takes exactly one axis, got mask 0x%x", name,
                  axes);
    }
    RETURN_IF_ERROR(check_dtype_is(fn, "out", out, LATHE_I64));
  } else {
    RETURN_IF_ERROR(check_same_dtype(fn, "in", in, "out", out));
  }
  if (!is_float(in->dtype) && !is_int(in->dtype)) {
    return fail(LATHE_ERR_UNSUPPORTED, "reduce: %s is not supported for %s", name,
                dtype_name(in->dtype));
  }
  if (numel(out) == 0) return LATHE_OK;
  if (block_count == 0 && op != LATHE_REDUCE_SUM) {
    return fail(LATHE_ERR_INVALID, "reduce: %s over an empty axis (in shape %s) has no result",
                name, shape_text(in).text);
  }
  // out has extent 1 on reduced axes, so walking out's shape with in's strides visits the
  // first element of every block.
  StridedIter it(out->ndim, out->shape);
  it.add(in->strides);
  it.add(out->strides);
  for (; !it.done; it.next()) {
    if (arg) {
      store_int(out, it.offset[1], arg_extreme(op, in, it.offset[0], axis));
    } else if (is_float(in->dtype)) {
      store_float(out, it.offset[1], reduce_block_float(op, in, it.offset[0], block_shape));
    } else {
      store_int(out, it.offset[1], reduce_block_int(op, in, it.offset[0], block_shape));
    }
  }
  return LATHE_OK;
}

// ---------------------------------------------------------------------------------------------
// scan

// Inclusive running sum along one axis (double for floats, wrapping int64 for ints).
lathe_status ref_scan(int32_t device, lathe_scan_op op, const lathe_view* in, const lathe_view* out,
                      int32_t axis, int32_t reverse) {
  const char* fn = "scan";
  RETURN_IF_ERROR(check_device(fn, device));
  RETURN_IF_ERROR(check_view(fn, "in", in));
  RETURN_IF_ERROR(check_view(fn, "out", out));
  if (op != LATHE_SCAN_CUMSUM) {
    return fail(LATHE_ERR_INVALID, "scan: unknown op %d", static_cast<int>(op));
  }
  RETURN_IF_ERROR(check_same_shape(fn, "in", in, "out", out));
  RETURN_IF_ERROR(check_same_dtype(fn, "in", in, "out", out));
  RETURN_IF_ERROR(check_axis(fn, axis, in->ndim));
  if (!is_float(in->dtype) && !is_int(in->dtype)) return unsupported_dtype(fn, in->dtype);
  // Walk every line along `axis`: the shape with that axis collapsed to 1.
  int64_t lines[LATHE_MAX_DIMS];
  for (int32_t d = 0; d < in->ndim; ++d) lines[d] = d == axis ? 1 : in->shape[d];
  const int64_t n = in->shape[axis];
  const int64_t in_stride = in->strides[axis];
  const int64_t out_stride = out->strides[axis];
  StridedIter it(in->ndim, lines);
  it.add(in->strides);
  it.add(out->strides);
  for (; !it.done; it.next()) {
    double float_sum = 0.0;
    int64_t int_sum = 0;
    for (int64_t step = 0; step < n; ++step) {
      const int64_t j = reverse ? n - 1 - step : step;
      const int64_t src = it.offset[0] + j * in_stride;
      const int64_t dst = it.offset[1] + j * out_stride;
      if (is_float(in->dtype)) {
        float_sum += load_float(in, src);
        store_float(out, dst, float_sum);
      } else {
        int_sum = wrap_add(int_sum, load_int(in, src));
        store_int(out, dst, int_sum);
      }
    }
  }
  return LATHE_OK;
}

// ---------------------------------------------------------------------------------------------
// matmul

// One [M, K] x [K, N] product at the given element offsets of a, b and out. Each output row is
// accumulated in double over k in order (loop order i, k, j); b is first converted to a
// contiguous double [K, N] so the inner loop is a plain multiply-add over memory.
void matmul_one(const lathe_view* a, int64_t a_base, const lathe_view* b, int64_t b_base,
                const lathe_view* out, int64_t out_base, std::vector<double>& b_rows,
                std::vector<double>& row) {
  const int32_t nd = a->ndim;
  const int64_t m = a->shape[nd - 2], k_size = a->shape[nd - 1], n = b->shape[nd - 1];
  const int64_t a_rs = a->strides[nd - 2], a_cs = a->strides[nd - 1];
  const int64_t b_rs = b->strides[nd - 2], b_cs = b->strides[nd - 1];
  const int64_t o_rs = out->strides[nd - 2], o_cs = out->strides[nd - 1];
  for (int64_t k = 0; k < k_size; ++k) {
    for (int64_t j = 0; j < n; ++j) b_rows[k * n + j] = load_float(b, b_base + k * b_rs + j * b_cs);
  }
  for (int64_t i = 0; i < m; ++i) {
    std::fill(row.begin(), row.end(), 0.0);
    for (int64_t k = 0; k < k_size; ++k) {
      const double a_ik = load_float(a, a_base + i * a_rs + k * a_cs);
      const double* b_row = b_rows.data() + k * n;
      for (int64_t j = 0; j < n; ++j) row[j] += a_ik * b_row[j];
    }
    for (int64_t j = 0; j < n; ++j) store_float(out, out_base + i * o_rs + j * o_cs, row[j]);
  }
}

// out[..., M, N] = a[..., M, K] @ b[..., K, N] over equal batch extents.
lathe_status ref_matmul(int32_t device, const lathe_view* a, const lathe_view* b,
                        const lathe_view* out) {
  const char* fn = "matmul";
  RETURN_IF_ERROR(check_device(fn, device));
  RETURN_IF_ERROR(check_view(fn, "a", a));
  RETURN_IF_ERROR(check_view(fn, "b", b));
  RETURN_IF_ERROR(check_view(fn, "out", out));
  const int32_t nd = out->ndim;
  if (nd < 2 || a->ndim != nd || b->ndim != nd) {
    return fail(LATHE_ERR_INVALID, "matmul: a, b and out need one ndim >= 2, got %d, %d and %d",
                a->ndim, b->ndim, nd);
  }
  RETURN_IF_ERROR(check_same_dtype(fn, "a", a, "out", out));
  RETURN_IF_ERROR(check_same_dtype(fn, "b", b, "out", out));
  bool shapes_ok = a->shape[nd - 1] == b->shape[nd - 2] && out->shape[nd - 2] == a->shape[nd - 2] &&
                   out->shape[nd - 1] == b->shape[nd - 1];
  for (int32_t d = 0; d < nd - 2; ++d) {
    shapes_ok = shapes_ok && a->shape[d] == out->shape[d] && b->shape[d] == out->shape[d];
  }
  if (!shapes_ok) {
    return fail(LATHE_ERR_INVALID, "matmul: shapes %s @ %s -> %s do not match", shape_text(a).text,
                shape_text(b).text, shape_text(out).text);
  }
  if (!is_float(out->dtype)) return unsupported_dtype(fn, out->dtype);
  const int64_t k_size = a->shape[nd - 1], n = b->shape[nd - 1];
  try {
    std::vector<double> b_rows(static_cast<size_t>(k_size * n));
    std::vector<double> row(static_cast<size_t>(n));
    StridedIter it(nd - 2, out->shape);
    it.add(a->strides);
    it.add(b->strides);
    it.add(out->strides);
    for (; !it.done; it.next()) {
      matmul_one(a, it.offset[0], b, it.offset[1], out, it.offset[2], b_rows, row);
    }
  } catch (const std::exception&) {
    return fail(LATHE_ERR_OUT_OF_MEMORY, "matmul: out of memory for a %lld x %lld buffer",
                static_cast<long long>(k_size), static_cast<long long>(n));
  }
  return LATHE_OK;
}

// ---------------------------------------------------------------------------------------------
// gather, scatter_add

// `v`'s strides with the one on `axis` zeroed: the axis is addressed by index values instead.
void strides_without_axis(const lathe_view* v, int32_t axis, int64_t* strides) {
  for (int32_t d = 0; d < v->ndim; ++d) strides[d] = d == axis ? 0 : v->strides[d];
}

lathe_status index_out_of_range(const char* fn, int64_t value, int32_t axis, int64_t size) {
  return fail(LATHE_ERR_INDEX, "%s: index %lld is out of range for axis %d of size %lld", fn,
              static_cast<long long>(value), axis, static_cast<long long>(size));
}

// out[p] = src[p with p[axis] = index[p]], by element bytes (any dtype).
lathe_status ref_gather(int32_t device, const lathe_view* src, const lathe_view* index,
                        int32_t axis, const lathe_view* out) {
  const char* fn = "gather";
  RETURN_IF_ERROR(check_device(fn, device));
  RETURN_IF_ERROR(check_view(fn, "src", src));
  RETURN_IF_ERROR(check_view(fn, "index", index));
  RETURN_IF_ERROR(check_view(fn, "out", out));
  RETURN_IF_ERROR(check_dtype_is(fn, "index", index, LATHE_I64));
  RETURN_IF_ERROR(check_same_dtype(fn, "src", src, "out", out));
  RETURN_IF_ERROR(check_same_shape(fn, "index", index, "out", out));
  RETURN_IF_ERROR(check_axis(fn, axis, src->ndim));
  bool fits = index->ndim == src->ndim;
  for (int32_t d = 0; fits && d < src->ndim; ++d) {
    fits = d == axis || index->shape[d] <= src->shape[d];
  }
  if (!fits) {
    return fail(LATHE_ERR_INVALID, "gather: index shape %s does not fit src shape %s off axis %d",
                shape_text(index).text, shape_text(src).text, axis);
  }
  int64_t src_strides[LATHE_MAX_DIMS];
  strides_without_axis(src, axis, src_strides);
  const size_t size = dtype_size(src->dtype);
  StridedIter it(index->ndim, index->shape);
  it.add(index->strides);
  it.add(src_strides);
  it.add(out->strides);
  for (; !it.done; it.next()) {
    const int64_t i = load_int(index, it.offset[0]);
    if (i < 0 || i >= src->shape[axis]) return index_out_of_range(fn, i, axis, src->shape[axis]);
    std::memcpy(element_ptr(out, it.offset[2]),
                element_ptr(src, it.offset[1] + i * src->strides[axis]), size);
  }
  return LATHE_OK;
}

// dst[p with p[axis] = index[p]] += src[p]. Every index is checked before anything is written,
// so on LATHE_ERR_INDEX dst is unchanged. Duplicates accumulate in row-major order of index.
lathe_status ref_scatter_add(int32_t device, const lathe_view* dst, const lathe_view* index,
                             const lathe_view* src, int32_t axis) {
  const char* fn = "scatter_add";
  RETURN_IF_ERROR(check_device(fn, device));
  RETURN_IF_ERROR(check_view(fn, "dst", dst));
  RETURN_IF_ERROR(check_view(fn, "index", index));
  RETURN_IF_ERROR(check_view(fn, "src", src));
  RETURN_IF_ERROR(check_dtype_is(fn, "index", index, LATHE_I64));
  RETURN_IF_ERROR(check_same_dtype(fn, "src", src, "dst", dst));
  RETURN_IF_ERROR(check_axis(fn, axis, dst->ndim));
  bool fits = index->ndim == dst->ndim && src->ndim == dst->ndim;
  for (int32_t d = 0; fits && d < dst->ndim; ++d) {
    fits = index->shape[d] <= src->shape[d] && (d == axis || index->shape[d] <= dst->shape[d]);
  }
  if (!fits) {
    return fail(LATHE_ERR_INVALID,
                "scatter_add: index shape %s does not fit src shape %s and dst shape %s (axis %d)",
                shape_text(index).text, shape_text(src).text, shape_text(dst).text, axis);
  }
  if (!is_float(dst->dtype) && !is_int(dst->dtype)) return unsupported_dtype(fn, dst->dtype);
  StridedIter check(index->ndim, index->shape);
  check.add(index->strides);
  for (; !check.done; check.next()) {
    const int64_t i = load_int(index, check.offset[0]);
    if (i < 0 || i >= dst->shape[axis]) return index_out_of_range(fn, i, axis, dst->shape[axis]);
  }
  int64_t dst_strides[LATHE_MAX_DIMS];
  strides_without_axis(dst, axis, dst_strides);
  StridedIter it(index->ndim, index->shape);
  it.add(index->strides);
  it.add(src->strides);
  it.add(dst_strides);
  for (; !it.done; it.next()) {
    const int64_t to = it.offset[2] + load_int(index, it.offset[0]) * dst->strides[axis];
    if (is_float(dst->dtype)) {
      store_float(dst, to, load_float(dst, to) + load_float(src, it.offset[1]));
    } else {
      store_int(dst, to, wrap_add(load_int(dst, to), load_int(src, it.offset[1])));
    }
  }
  return LATHE_OK;
}

// ---------------------------------------------------------------------------------------------
// sort

// Ascending order with NaN after every number; ties compare false both ways so a stable sort
// keeps them in input order.
bool float_before(double x, double y) { return !std::isnan(x) && (std::isnan(y) || x < y); }

// Stable sort of every line along `axis`: values in in's dtype, indices (i64) into the line.
lathe_status ref_sort(int32_t device, const lathe_view* in, const lathe_view* values,
                      const lathe_view* indices, int32_t axis, int32_t descending) {
  const char* fn = "sort";
  RETURN_IF_ERROR(check_device(fn, device));
  RETURN_IF_ERROR(check_view(fn, "in", in));
  RETURN_IF_ERROR(check_view(fn, "values", values));
  RETURN_IF_ERROR(check_view(fn, "indices", indices));
  RETURN_IF_ERROR(check_same_shape(fn, "in", in, "values", values));
  RETURN_IF_ERROR(check_same_shape(fn, "in", in, "indices", indices));
  RETURN_IF_ERROR(check_same_dtype(fn, "in", in, "values", values));
  RETURN_IF_ERROR(check_dtype_is(fn, "indices", indices, LATHE_I64));
  RETURN_IF_ERROR(check_axis(fn, axis, in->ndim));
  if (!is_float(in->dtype) && !is_int(in->dtype)) return unsupported_dtype(fn, in->dtype);
  const bool floats = is_float(in->dtype);
  const int64_t n = in->shape[axis];
  int64_t lines[LATHE_MAX_DIMS];
  for (int32_t d = 0; d < in->ndim; ++d) lines[d] = d == axis ? 1 : in->shape[d];
  try {
    // The line is loaded first and values written from these copies, so values may alias in.
    std::vector<double> float_keys(floats ? static_cast<size_t>(n) : 0);
    std::vector<int64_t> int_keys(floats ? 0 : static_cast<size_t>(n));
    std::vector<int64_t> order(static_cast<size_t>(n));
    StridedIter it(in->ndim, lines);
    it.add(in->strides);
    it.add(values->strides);
    it.add(indices->strides);
    for (; !it.done; it.next()) {
      for (int64_t j = 0; j < n; ++j) {
        const int64_t at = it.offset[0] + j * in->strides[axis];
        if (floats) {
          float_keys[j] = load_float(in, at);
        } else {
          int_keys[j] = load_int(in, at);
        }
      }
      std::iota(order.begin(), order.end(), int64_t{0});
      // "i goes before j": descending swaps the operands, which keeps ties stable and NaN first.
      std::stable_sort(order.begin(), order.end(), [&](int64_t i, int64_t j) {
        if (descending) std::swap(i, j);
        return floats ? float_before(float_keys[i], float_keys[j]) : int_keys[i] < int_keys[j];
      });
      for (int64_t j = 0; j < n; ++j) {
        const int64_t from = order[j];
        const int64_t to = it.offset[1] + j * values->strides[axis];
        if (floats) {
          store_float(values, to, float_keys[from]);
        } else {
          store_int(values, to, int_keys[from]);
        }
        store_int(indices, it.offset[2] + j * indices->strides[axis], from);
      }
    }
  } catch (const std::exception&) {
    return fail(LATHE_ERR_OUT_OF_MEMORY, "sort: out of memory for lines of %lld elements",
                static_cast<long long>(n));
  }
  return LATHE_OK;
}

// ---------------------------------------------------------------------------------------------
// rand

// Philox draws as backend.h defines them; element k is the k-th index of out's shape in
// row-major order, whatever out's strides.
lathe_status ref_rand(int32_t device, lathe_rand_dist dist, uint64_t seed, uint64_t offset,
                      const lathe_view* out, double a, double b) {
  const char* fn = "rand";
  RETURN_IF_ERROR(check_device(fn, device));
  RETURN_IF_ERROR(check_view(fn, "out", out));
  if (dist != LATHE_RAND_UNIFORM && dist != LATHE_RAND_NORMAL) {
    return fail(LATHE_ERR_INVALID, "rand: unknown distribution %d", static_cast<int>(dist));
  }
  if (!is_float(out->dtype)) return unsupported_dtype(fn, out->dtype);
  StridedIter it(out->ndim, out->shape);
  it.add(out->strides);
  for (uint64_t k = 0; !it.done; it.next(), ++k) {
    uint32_t r[4];
    lathe_philox_draw(seed, offset + k, r);
    double x;
    if (dist == LATHE_RAND_UNIFORM) {
      const double u = out->dtype == LATHE_F64 ? lathe_uniform53(r[0], r[1]) : lathe_uniform24(r);
      x = a + (b - a) * u;
    } else {
      x = a + b * lathe_normal(r);
    }
    store_float(out, it.offset[0], x);
  }
  return LATHE_OK;
}

// ---------------------------------------------------------------------------------------------
// The table

lathe_backend make_table() {
  lathe_backend t = {};
  t.abi_version = LATHE_BACKEND_ABI_VERSION;
  t.struct_size = sizeof(lathe_backend);
  t.name = "reference";
  t.flags = LATHE_BACKEND_HOST_MEMORY;
  t.device_count = ref_device_count;
  t.describe = ref_describe;
  t.alloc = ref_alloc;
  t.free = ref_free;
  t.copy_from_host = ref_copy_from_host;
  t.copy_to_host = ref_copy_to_host;
  t.copy = ref_copy;
  t.fill = ref_fill;
  t.unary = ref_unary;
  t.binary = ref_binary;
  t.where = ref_where;
  t.reduce = ref_reduce;
  t.matmul = ref_matmul;
  t.gather = ref_gather;
  t.scatter_add = ref_scatter_add;
  t.scan = ref_scan;
  t.sort = ref_sort;
  t.rand = ref_rand;
  t.synchronize = ref_synchronize;
  t.last_error = ref_last_error;
  // No fusions (the reference is the unfused specification); the run_fused calls are the
  // linear-algebra kernels, which have no composite (linalg.cpp).
  t.supports = linalg_supports;
  t.run_fused = linalg_run;
  return t;
}

}  // namespace
}  // namespace lathe_reference

extern "C" const lathe_backend* lathe_backend_reference(void) {
  static const lathe_backend table = lathe_reference::make_table();
  return &table;
}
