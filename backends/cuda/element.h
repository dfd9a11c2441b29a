// Per-element rules of the cuda backend: loads and stores by dtype, the conversion rules of
// copy and fill, unary and binary arithmetic, sort keys, the combine steps of reductions, and
// one rand draw. Kernels call these on the device; tests/backends/cuda_test.cpp compiles the
// same header on the host and checks it against the reference backend, so these rules are
// tested on machines without a GPU. Compute types: f32, f16 and bf16 in float, f64 in double,
// i32, i64 and bool in int64 (wrapping like the reference backend).
#ifndef LATHE_CUDA_ELEMENT_H
#define LATHE_CUDA_ELEMENT_H

#include <math.h>
#include <stdint.h>

#include "backends/backend.h"
#include "backends/half.h"
#include "backends/philox.h"
#include "backends/special.h"

namespace lathe_cuda {

// f16 and bf16 bit patterns, distinct types so templates can tell them apart.
struct f16 {
  uint16_t bits;
};
struct bf16 {
  uint16_t bits;
};

// Storage type T <-> compute type Elem<T>::C.
template <typename T>
struct Elem;

template <>
struct Elem<float> {
  using C = float;
  static LATHE_HD C load(float v) { return v; }
  static LATHE_HD float store(C v) { return v; }
};

template <>
struct Elem<double> {
  using C = double;
  static LATHE_HD C load(double v) { return v; }
  static LATHE_HD double store(C v) { return v; }
};

template <>
struct Elem<f16> {
  using C = float;
  static LATHE_HD C load(f16 v) { return lathe_f16_to_f32(v.bits); }
  static LATHE_HD f16 store(C v) { return f16{lathe_f32_to_f16(v)}; }
};

template <>
struct Elem<bf16> {
  using C = float;
  static LATHE_HD C load(bf16 v) { return lathe_bf16_to_f32(v.bits); }
  static LATHE_HD bf16 store(C v) { return bf16{lathe_f32_to_bf16(v)}; }
};

template <>
struct Elem<int32_t> {
  using C = int64_t;
  static LATHE_HD C load(int32_t v) { return v; }
  // The low 32 bits, two's complement (the reference's store_int).
  static LATHE_HD int32_t store(C v) { return (int32_t)(uint32_t)(uint64_t)v; }
};

template <>
struct Elem<int64_t> {
  using C = int64_t;
  static LATHE_HD C load(int64_t v) { return v; }
  static LATHE_HD int64_t store(C v) { return v; }
};

// bool: one byte, any nonzero byte reads as true.
template <>
struct Elem<uint8_t> {
  using C = int64_t;
  static LATHE_HD C load(uint8_t v) { return v != 0 ? 1 : 0; }
  static LATHE_HD uint8_t store(C v) { return v != 0 ? 1 : 0; }
};

// ---- copy and fill: any dtype through double (or int64 between integer dtypes) ----

static inline LATHE_HD int dtype_bytes(lathe_dtype dt) {
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

static inline LATHE_HD bool dtype_is_float(lathe_dtype dt) {
  return dt == LATHE_F32 || dt == LATHE_F64 || dt == LATHE_F16 || dt == LATHE_BF16;
}

static inline LATHE_HD bool dtype_is_int(lathe_dtype dt) {
  return dt == LATHE_I32 || dt == LATHE_I64;
}

// The element at p (of dtype dt) as double; i64 beyond 2^53 rounds.
static inline LATHE_HD double load_as_double(const void* p, lathe_dtype dt) {
  switch (dt) {
    case LATHE_F32: return *(const float*)p;
    case LATHE_F64: return *(const double*)p;
    case LATHE_I32: return *(const int32_t*)p;
    case LATHE_I64: return (double)*(const int64_t*)p;
    case LATHE_BOOL: return *(const uint8_t*)p != 0 ? 1.0 : 0.0;
    case LATHE_F16: return lathe_f16_to_f32(*(const uint16_t*)p);
    case LATHE_BF16: return lathe_bf16_to_f32(*(const uint16_t*)p);
  }
  return 0.0;
}

// The element at p of an integer or bool dtype as int64 (exact).
static inline LATHE_HD int64_t load_as_int(const void* p, lathe_dtype dt) {
  switch (dt) {
    case LATHE_I32: return *(const int32_t*)p;
    case LATHE_I64: return *(const int64_t*)p;
    case LATHE_BOOL: return *(const uint8_t*)p != 0 ? 1 : 0;
    default: return 0;
  }
}

// Float to integer like a C cast, with NaN -> 0 and saturation at the dtype's limits.
static inline LATHE_HD int64_t float_to_int(double x, lathe_dtype dt) {
  if (x != x) return 0;
  const bool i32 = dt == LATHE_I32;
  const double lo = i32 ? -2147483648.0 : -9223372036854775808.0;
  const double hi = i32 ? 2147483648.0 : 9223372036854775808.0;  // first value out of range
  if (x <= lo) return i32 ? INT32_MIN : INT64_MIN;
  if (x >= hi) return i32 ? INT32_MAX : INT64_MAX;
  return (int64_t)x;
}

// The bit pattern (low bytes of the result) that storing x into dtype dt writes, with copy's
// conversion rules: floats round (f16/bf16 through f32), ints truncate and saturate, bool is
// x != 0.
static inline LATHE_HD uint64_t converted_bits(double x, lathe_dtype dt) {
  switch (dt) {
    case LATHE_F32: {
      float f = (float)x;
      return lathe_f32_bits(f);
    }
    case LATHE_F64: {
      uint64_t u;
      memcpy(&u, &x, sizeof u);
      return u;
    }
    case LATHE_F16: return lathe_f32_to_f16((float)x);
    case LATHE_BF16: return lathe_f32_to_bf16((float)x);
    case LATHE_BOOL: return x != 0.0 ? 1u : 0u;
    case LATHE_I32: return (uint32_t)(int32_t)float_to_int(x, dt);
    case LATHE_I64: return (uint64_t)float_to_int(x, dt);
  }
  return 0;
}

// Stores the low dtype_bytes(dt) bytes of `bits` at p.
static inline LATHE_HD void store_bits(void* p, lathe_dtype dt, uint64_t bits) {
  switch (dtype_bytes(dt)) {
    case 8: *(uint64_t*)p = bits; break;
    case 4: *(uint32_t*)p = (uint32_t)bits; break;
    case 2: *(uint16_t*)p = (uint16_t)bits; break;
    default: *(uint8_t*)p = (uint8_t)bits; break;
  }
}

// Stores an int64 into an integer or bool dtype (i32 keeps the low 32 bits).
static inline LATHE_HD void store_int(void* p, lathe_dtype dt, int64_t x) {
  if (dt == LATHE_BOOL) {
    *(uint8_t*)p = x != 0 ? 1 : 0;
  } else if (dt == LATHE_I32) {
    *(int32_t*)p = (int32_t)(uint32_t)(uint64_t)x;
  } else {
    *(int64_t*)p = x;
  }
}

// One element of copy: src (dtype st) to dst (dtype dt).
static inline LATHE_HD void convert_element(const void* src, lathe_dtype st, void* dst,
                                            lathe_dtype dt) {
  // Integer/bool to integer/bool goes through int64 so i64 values above 2^53 stay exact.
  if (!dtype_is_float(st) && !dtype_is_float(dt)) {
    store_int(dst, dt, load_as_int(src, st));
  } else {
    store_bits(dst, dt, converted_bits(load_as_double(src, st), dt));
  }
}

// ---- math by compute type ----

static inline LATHE_HD float m_exp(float x) { return expf(x); }
static inline LATHE_HD double m_exp(double x) { return exp(x); }
static inline LATHE_HD float m_log(float x) { return logf(x); }
static inline LATHE_HD double m_log(double x) { return log(x); }
static inline LATHE_HD float m_log1p(float x) { return log1pf(x); }
static inline LATHE_HD double m_log1p(double x) { return log1p(x); }
static inline LATHE_HD float m_sqrt(float x) { return sqrtf(x); }
static inline LATHE_HD double m_sqrt(double x) { return sqrt(x); }
static inline LATHE_HD float m_fabs(float x) { return fabsf(x); }
static inline LATHE_HD double m_fabs(double x) { return fabs(x); }
static inline LATHE_HD float m_sin(float x) { return sinf(x); }
static inline LATHE_HD double m_sin(double x) { return sin(x); }
static inline LATHE_HD float m_cos(float x) { return cosf(x); }
static inline LATHE_HD double m_cos(double x) { return cos(x); }
static inline LATHE_HD float m_tanh(float x) { return tanhf(x); }
static inline LATHE_HD double m_tanh(double x) { return tanh(x); }
static inline LATHE_HD float m_erf(float x) { return erff(x); }
static inline LATHE_HD double m_erf(double x) { return erf(x); }
static inline LATHE_HD float m_pow(float x, float y) { return powf(x, y); }
static inline LATHE_HD float m_expm1(float x) { return expm1f(x); }
static inline LATHE_HD double m_expm1(double x) { return expm1(x); }
static inline LATHE_HD float m_sinh(float x) { return sinhf(x); }
static inline LATHE_HD double m_sinh(double x) { return sinh(x); }
static inline LATHE_HD float m_cosh(float x) { return coshf(x); }
static inline LATHE_HD double m_cosh(double x) { return cosh(x); }
static inline LATHE_HD float m_atanh(float x) { return atanhf(x); }
static inline LATHE_HD double m_atanh(double x) { return atanh(x); }
static inline LATHE_HD float m_asinh(float x) { return asinhf(x); }
static inline LATHE_HD double m_asinh(double x) { return asinh(x); }
static inline LATHE_HD float m_acosh(float x) { return acoshf(x); }
static inline LATHE_HD double m_acosh(double x) { return acosh(x); }
static inline LATHE_HD float m_floor(float x) { return floorf(x); }
static inline LATHE_HD double m_floor(double x) { return floor(x); }
static inline LATHE_HD float m_ceil(float x) { return ceilf(x); }
static inline LATHE_HD double m_ceil(double x) { return ceil(x); }
static inline LATHE_HD float m_rint(float x) { return rintf(x); }
static inline LATHE_HD double m_rint(double x) { return rint(x); }
static inline LATHE_HD float m_trunc(float x) { return truncf(x); }
static inline LATHE_HD double m_trunc(double x) { return trunc(x); }
static inline LATHE_HD float m_atan2(float x, float y) { return atan2f(x, y); }
static inline LATHE_HD double m_atan2(double x, double y) { return atan2(x, y); }
static inline LATHE_HD float m_hypot(float x, float y) { return hypotf(x, y); }
static inline LATHE_HD double m_hypot(double x, double y) { return hypot(x, y); }
static inline LATHE_HD double m_pow(double x, double y) { return pow(x, y); }

// ---- unary ----

static inline LATHE_HD bool unary_has_int(lathe_unary_op op) {
  return op == LATHE_UNARY_NEG || op == LATHE_UNARY_ABS || op == LATHE_UNARY_SIGN ||
         op == LATHE_UNARY_RELU;
}

// op(x) for float compute types (float or double); a, b are SOFTPLUS's beta and threshold.
template <typename C>
LATHE_HD C unary_float(lathe_unary_op op, C x, C a, C b) {
  switch (op) {
    case LATHE_UNARY_NEG: return -x;
    case LATHE_UNARY_EXP: return m_exp(x);
    case LATHE_UNARY_LOG: return m_log(x);
    case LATHE_UNARY_SQRT: return m_sqrt(x);
    case LATHE_UNARY_RSQRT: return C(1) / m_sqrt(x);
    case LATHE_UNARY_ABS: return m_fabs(x);
    case LATHE_UNARY_SIGN:
      if (x != x) return x;
      return x > 0 ? C(1) : (x < 0 ? C(-1) : C(0));
    case LATHE_UNARY_SIN: return m_sin(x);
    case LATHE_UNARY_COS: return m_cos(x);
    case LATHE_UNARY_TANH: return m_tanh(x);
    case LATHE_UNARY_SIGMOID: {
      // exp only ever sees -|x|: no overflow, no inf/inf.
      if (x >= 0) return C(1) / (C(1) + m_exp(-x));
      const C e = m_exp(x);
      return e / (C(1) + e);
    }
    case LATHE_UNARY_RELU: return (x != x || x > 0) ? x : C(0);
    case LATHE_UNARY_SOFTPLUS: return a * x > b ? x : m_log1p(m_exp(a * x)) / a;
    case LATHE_UNARY_ERF: return m_erf(x);
    case LATHE_UNARY_LOG1P: return m_log1p(x);
    case LATHE_UNARY_EXPM1: return m_expm1(x);
    case LATHE_UNARY_SINH: return m_sinh(x);
    case LATHE_UNARY_COSH: return m_cosh(x);
    case LATHE_UNARY_ATANH: return m_atanh(x);
    case LATHE_UNARY_ASINH: return m_asinh(x);
    case LATHE_UNARY_ACOSH: return m_acosh(x);
    case LATHE_UNARY_FLOOR: return m_floor(x);
    case LATHE_UNARY_CEIL: return m_ceil(x);
    case LATHE_UNARY_ROUND: return m_rint(x);  // halves to even in the default rounding mode
    case LATHE_UNARY_TRUNC: return m_trunc(x);
    // in double, as every backend (backends/special.h)
    case LATHE_UNARY_LGAMMA: return C(lgamma(double(x)));
    case LATHE_UNARY_DIGAMMA: return C(lathe_digamma(double(x)));
    case LATHE_UNARY_POLYGAMMA: return C(lathe_polygamma(int(a), double(x)));
    case LATHE_UNARY_ERFINV: return C(lathe_erfinv(double(x)));
    default: return x;  // NOT is bool-only and never gets here
  }
}

// NEG, ABS, SIGN, RELU on int64 (wrapping), NOT on bool.
static inline LATHE_HD int64_t unary_int(lathe_unary_op op, int64_t x) {
  switch (op) {
    case LATHE_UNARY_NEG: return (int64_t)(0 - (uint64_t)x);
    case LATHE_UNARY_ABS: return x < 0 ? (int64_t)(0 - (uint64_t)x) : x;
    case LATHE_UNARY_SIGN: return x > 0 ? 1 : (x < 0 ? -1 : 0);
    case LATHE_UNARY_RELU: return x > 0 ? x : 0;
    case LATHE_UNARY_NOT: return x == 0 ? 1 : 0;
    default: return x;
  }
}

// ---- binary ----

static inline LATHE_HD bool binary_is_comparison(lathe_binary_op op) {
  return op >= LATHE_BINARY_EQ && op <= LATHE_BINARY_GE;
}

static inline LATHE_HD bool binary_is_logical(lathe_binary_op op) {
  return op == LATHE_BINARY_AND || op == LATHE_BINARY_OR;
}

// Arithmetic on float compute types; MAXIMUM/MINIMUM propagate NaN.
template <typename C>
LATHE_HD C arith_float(lathe_binary_op op, C x, C y) {
  switch (op) {
    case LATHE_BINARY_ADD: return x + y;
    case LATHE_BINARY_SUB: return x - y;
    case LATHE_BINARY_MUL: return x * y;
    case LATHE_BINARY_DIV: return x / y;
    case LATHE_BINARY_POW: return m_pow(x, y);
    case LATHE_BINARY_MAXIMUM: return x != x ? x : (y != y ? y : (x > y ? x : y));
    case LATHE_BINARY_MINIMUM: return x != x ? x : (y != y ? y : (x < y ? x : y));
    case LATHE_BINARY_ATAN2: return m_atan2(x, y);
    case LATHE_BINARY_HYPOT: return m_hypot(x, y);
    default: return C(0);
  }
}

static inline LATHE_HD int64_t arith_int(lathe_binary_op op, int64_t x, int64_t y) {
  switch (op) {
    case LATHE_BINARY_ADD: return (int64_t)((uint64_t)x + (uint64_t)y);
    case LATHE_BINARY_SUB: return (int64_t)((uint64_t)x - (uint64_t)y);
    case LATHE_BINARY_MUL: return (int64_t)((uint64_t)x * (uint64_t)y);
    case LATHE_BINARY_MAXIMUM: return x > y ? x : y;
    case LATHE_BINARY_MINIMUM: return x < y ? x : y;
    case LATHE_BINARY_AND: return (x != 0 && y != 0) ? 1 : 0;
    case LATHE_BINARY_OR: return (x != 0 || y != 0) ? 1 : 0;
    default: return 0;
  }
}

// Comparisons follow IEEE for floats: with a NaN only NE is true.
template <typename C>
LATHE_HD bool compare(lathe_binary_op op, C x, C y) {
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

// ---- reductions ----

// MAX/MIN steps that propagate NaN (ints never see one).
template <typename C>
LATHE_HD C max_step(C acc, C x) {
  return acc != acc ? acc : (x != x ? x : (x > acc ? x : acc));
}
template <typename C>
LATHE_HD C min_step(C acc, C x) {
  return acc != acc ? acc : (x != x ? x : (x < acc ? x : acc));
}

// ARGMAX/ARGMIN: is candidate (v, i) better than the best so far (bv, bi)? NaN beats every
// number (for both ops), equal values go to the smaller index. The order is total, so partial
// results combine in any order and still give the first extreme index. The empty start is
// (-inf or +inf for floats, INT64_MIN or INT64_MAX for ints; index INT64_MAX): every element
// beats it.
template <typename C>
LATHE_HD bool arg_better(bool want_max, C v, int64_t i, C bv, int64_t bi) {
  const bool v_nan = v != v, b_nan = bv != bv;
  if (b_nan) return v_nan && i < bi;
  if (v_nan) return true;
  if (v == bv) return i < bi;
  return want_max ? v > bv : v < bv;
}

// ---- sort keys: unsigned integers whose ascending order is the sort order ----
// Floats: -0.0 and 0.0 share a key (they compare equal, so a stable sort keeps their order), and
// every NaN gets the largest key (after +inf). Signed ints: the sign bit flipped. Descending
// order complements the key, which keeps ties stable and puts NaN first (as the reference).

static inline LATHE_HD uint32_t sort_key_f32(float x, bool descending) {
  uint32_t key;
  if (x != x) {
    key = 0xffffffffu;
  } else {
    uint32_t u = lathe_f32_bits(x == 0.0f ? 0.0f : x);
    key = (u & 0x80000000u) ? ~u : (u | 0x80000000u);
  }
  return descending ? ~key : key;
}

static inline LATHE_HD uint64_t sort_key_f64(double x, bool descending) {
  uint64_t key;
  if (x != x) {
    key = 0xffffffffffffffffull;
  } else {
    double y = x == 0.0 ? 0.0 : x;
    uint64_t u;
    memcpy(&u, &y, sizeof u);
    key = (u & 0x8000000000000000ull) ? ~u : (u | 0x8000000000000000ull);
  }
  return descending ? ~key : key;
}

static inline LATHE_HD uint32_t sort_key_i32(int32_t x, bool descending) {
  uint32_t key = (uint32_t)x ^ 0x80000000u;
  return descending ? ~key : key;
}

static inline LATHE_HD uint64_t sort_key_i64(int64_t x, bool descending) {
  uint64_t key = (uint64_t)x ^ 0x8000000000000000ull;
  return descending ? ~key : key;
}

// ---- rand ----

// Double arithmetic without fused multiply-adds, so draws round exactly as on the host
// (the reference backend is compiled with -ffp-contract=off).
static inline LATHE_HD double add_rn(double x, double y) {
#ifdef __CUDA_ARCH__
  return __dadd_rn(x, y);
#else
  return x + y;
#endif
}

static inline LATHE_HD double mul_rn(double x, double y) {
#ifdef __CUDA_ARCH__
  return __dmul_rn(x, y);
#else
  return x * y;
#endif
}

// Element counter c of a draw (backend.h, rand), in double, before rounding to out's dtype.
static inline LATHE_HD double rand_value(lathe_rand_dist dist, uint64_t seed, uint64_t c,
                                         bool f64, double a, double b) {
  uint32_t r[4];
  lathe_philox_draw(seed, c, r);
  if (dist == LATHE_RAND_UNIFORM) {
    const double u = f64 ? lathe_uniform53(r[0], r[1]) : lathe_uniform24(r);
    return add_rn(a, mul_rn(b - a, u));
  }
  return add_rn(a, mul_rn(b, lathe_normal(r)));
}

}  // namespace lathe_cuda

#endif  // LATHE_CUDA_ELEMENT_H
