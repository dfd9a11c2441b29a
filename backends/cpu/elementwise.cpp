// Elementwise kernels of the cpu backend: unary, binary, where, copy, fill for f32 and f64 (and
// the integer/bool cases training needs), through the loop driver in loops.h. Transcendental
// unary ops on large contiguous f32 arrays go to oneDNN's JIT eltwise (dnnl.cpp); everything
// else is a plain loop the compiler vectorizes (AVX2 clones where the CPU has it). Cases not
// handled here fall back to the reference backend's loops.
#include <cmath>
#include <cstring>
#include <type_traits>

#include "backends/cpu/cpu.h"
#include "backends/cpu/loops.h"
#include "backends/special.h"

namespace lathe_cpu {

namespace {

// ---- unary ----

// One loop per op, so each body is branch-free and the simple ones vectorize.
template <typename T, typename F>
LATHE_CPU_CLONES void unary_row(F f, T* out, const T* in, int64_t n, int64_t sin, int64_t sout) {
  if (sin == 1 && sout == 1) {
    for (int64_t i = 0; i < n; ++i) out[i] = f(in[i]);
  } else {
    for (int64_t i = 0; i < n; ++i) out[i * sout] = f(in[i * sin]);
  }
}

template <typename T, typename F>
void unary_loop(F f, const lathe_view* in, const lathe_view* out) {
  const lathe_view* views[2] = {out, in};
  Loop l = make_loop(views, 2);
  for_each_row(l, [&](char** p, int64_t n, const int64_t* s) {
    unary_row<T>(f, reinterpret_cast<T*>(p[0]), reinterpret_cast<const T*>(p[1]), n, s[1], s[0]);
  });
}

template <typename T>
bool unary_typed(lathe_unary_op op, const lathe_view* in, const lathe_view* out, T a, T b) {
  switch (op) {
    case LATHE_UNARY_NEG: unary_loop<T>([](T x) { return -x; }, in, out); return true;
    case LATHE_UNARY_EXP: unary_loop<T>([](T x) { return std::exp(x); }, in, out); return true;
    case LATHE_UNARY_LOG: unary_loop<T>([](T x) { return std::log(x); }, in, out); return true;
    case LATHE_UNARY_SQRT: unary_loop<T>([](T x) { return std::sqrt(x); }, in, out); return true;
    case LATHE_UNARY_RSQRT: unary_loop<T>([](T x) { return T(1) / std::sqrt(x); }, in, out); return true;
    case LATHE_UNARY_ABS: unary_loop<T>([](T x) { return std::fabs(x); }, in, out); return true;
    case LATHE_UNARY_SIN: unary_loop<T>([](T x) { return std::sin(x); }, in, out); return true;
    case LATHE_UNARY_COS: unary_loop<T>([](T x) { return std::cos(x); }, in, out); return true;
    case LATHE_UNARY_TANH: unary_loop<T>([](T x) { return std::tanh(x); }, in, out); return true;
    case LATHE_UNARY_ERF: unary_loop<T>([](T x) { return std::erf(x); }, in, out); return true;
    case LATHE_UNARY_LOG1P: unary_loop<T>([](T x) { return std::log1p(x); }, in, out); return true;
    case LATHE_UNARY_EXPM1: unary_loop<T>([](T x) { return std::expm1(x); }, in, out); return true;
    case LATHE_UNARY_SINH: unary_loop<T>([](T x) { return std::sinh(x); }, in, out); return true;
    case LATHE_UNARY_COSH: unary_loop<T>([](T x) { return std::cosh(x); }, in, out); return true;
    case LATHE_UNARY_ATANH: unary_loop<T>([](T x) { return std::atanh(x); }, in, out); return true;
    case LATHE_UNARY_ASINH: unary_loop<T>([](T x) { return std::asinh(x); }, in, out); return true;
    case LATHE_UNARY_ACOSH: unary_loop<T>([](T x) { return std::acosh(x); }, in, out); return true;
    case LATHE_UNARY_FLOOR: unary_loop<T>([](T x) { return std::floor(x); }, in, out); return true;
    case LATHE_UNARY_CEIL: unary_loop<T>([](T x) { return std::ceil(x); }, in, out); return true;
    case LATHE_UNARY_ROUND:  // halves to even
      unary_loop<T>([](T x) { return std::nearbyint(x); }, in, out);
      return true;
    case LATHE_UNARY_TRUNC: unary_loop<T>([](T x) { return std::trunc(x); }, in, out); return true;
    // The special functions compute in double (backends/special.h), like the reference.
    case LATHE_UNARY_LGAMMA:
      unary_loop<T>([](T x) { return T(std::lgamma(double(x))); }, in, out);
      return true;
    case LATHE_UNARY_DIGAMMA:
      unary_loop<T>([](T x) { return T(lathe_digamma(double(x))); }, in, out);
      return true;
    case LATHE_UNARY_POLYGAMMA:
      unary_loop<T>([a](T x) { return T(lathe_polygamma(int(a), double(x))); }, in, out);
      return true;
    case LATHE_UNARY_ERFINV:
      unary_loop<T>([](T x) { return T(lathe_erfinv(double(x))); }, in, out);
      return true;
    case LATHE_UNARY_SIGN:  // keeps 0 and NaN
      unary_loop<T>([](T x) { return x > T(0) ? T(1) : (x < T(0) ? T(-1) : x); }, in, out);
      return true;
    case LATHE_UNARY_RELU:  // NaN stays NaN
      unary_loop<T>([](T x) { return x > T(0) || x != x ? x : T(0); }, in, out);
      return true;
    case LATHE_UNARY_SIGMOID:  // exp of a non-positive argument only: no overflow
      unary_loop<T>([](T x) {
        T e = std::exp(-std::fabs(x));
        return x >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
      }, in, out);
      return true;
    case LATHE_UNARY_SOFTPLUS:
      unary_loop<T>([a, b](T x) { return a * x > b ? x : std::log1p(std::exp(a * x)) / a; }, in, out);
      return true;
    default: return false;
  }
}

// ---- binary ----

template <typename T>
inline T binary_value(lathe_binary_op op, T x, T y) {
  switch (op) {
    case LATHE_BINARY_ADD: return x + y;
    case LATHE_BINARY_SUB: return x - y;
    case LATHE_BINARY_MUL: return x * y;
    case LATHE_BINARY_DIV: return x / y;
    case LATHE_BINARY_POW: return std::pow(x, y);
    case LATHE_BINARY_MAXIMUM: return (x != x || y != y) ? x + y : (x > y ? x : y);
    case LATHE_BINARY_MINIMUM: return (x != x || y != y) ? x + y : (x < y ? x : y);
    default: return T(0);
  }
}

// The arithmetic ops get their own loops so each is a tight, vectorizable body; the common
// stride patterns (same layout, scalar on either side) are spelled out.
template <typename T, typename F>
LATHE_CPU_CLONES void binary_row(F f, T* out, const T* x, const T* y, int64_t n, int64_t sx,
                                 int64_t sy, int64_t so) {
  if (so == 1 && sx == 1 && sy == 1) {
    for (int64_t i = 0; i < n; ++i) out[i] = f(x[i], y[i]);
  } else if (so == 1 && sx == 1 && sy == 0) {
    const T c = *y;
    for (int64_t i = 0; i < n; ++i) out[i] = f(x[i], c);
  } else if (so == 1 && sx == 0 && sy == 1) {
    const T c = *x;
    for (int64_t i = 0; i < n; ++i) out[i] = f(c, y[i]);
  } else {
    for (int64_t i = 0; i < n; ++i) out[i * so] = f(x[i * sx], y[i * sy]);
  }
}

template <typename T, typename F>
void binary_loop(F f, const lathe_view* a, const lathe_view* b, const lathe_view* out) {
  const lathe_view* views[3] = {out, a, b};
  Loop l = make_loop(views, 3);
  for_each_row(l, [&](char** p, int64_t n, const int64_t* s) {
    binary_row<T>(f, reinterpret_cast<T*>(p[0]), reinterpret_cast<const T*>(p[1]),
                  reinterpret_cast<const T*>(p[2]), n, s[1], s[2], s[0]);
  });
}

template <typename T>
bool binary_arith(lathe_binary_op op, const lathe_view* a, const lathe_view* b,
                  const lathe_view* out) {
  switch (op) {
    case LATHE_BINARY_ADD: binary_loop<T>([](T x, T y) { return x + y; }, a, b, out); return true;
    case LATHE_BINARY_SUB: binary_loop<T>([](T x, T y) { return x - y; }, a, b, out); return true;
    case LATHE_BINARY_MUL: binary_loop<T>([](T x, T y) { return x * y; }, a, b, out); return true;
    case LATHE_BINARY_DIV: binary_loop<T>([](T x, T y) { return x / y; }, a, b, out); return true;
    case LATHE_BINARY_POW:
    case LATHE_BINARY_MAXIMUM:
    case LATHE_BINARY_MINIMUM:
      binary_loop<T>([op](T x, T y) { return binary_value(op, x, y); }, a, b, out);
      return true;
    default: break;
  }
  if constexpr (std::is_floating_point<T>::value) {
    if (op == LATHE_BINARY_ATAN2) {
      binary_loop<T>([](T x, T y) { return std::atan2(x, y); }, a, b, out);
      return true;
    }
    if (op == LATHE_BINARY_HYPOT) {
      binary_loop<T>([](T x, T y) { return std::hypot(x, y); }, a, b, out);
      return true;
    }
  }
  return false;
}

template <typename T, typename F>
LATHE_CPU_CLONES void compare_row(F f, uint8_t* out, const T* x, const T* y, int64_t n,
                                  int64_t sx, int64_t sy, int64_t so) {
  if (so == 1 && sx == 1 && sy == 1) {
    for (int64_t i = 0; i < n; ++i) out[i] = f(x[i], y[i]);
  } else if (so == 1 && sx == 1 && sy == 0) {
    const T c = *y;
    for (int64_t i = 0; i < n; ++i) out[i] = f(x[i], c);
  } else {
    for (int64_t i = 0; i < n; ++i) out[i * so] = f(x[i * sx], y[i * sy]);
  }
}

template <typename T, typename F>
void compare_loop(F f, const lathe_view* a, const lathe_view* b, const lathe_view* out) {
  const lathe_view* views[3] = {out, a, b};
  Loop l = make_loop(views, 3);
  for_each_row(l, [&](char** p, int64_t n, const int64_t* s) {
    compare_row<T>(f, reinterpret_cast<uint8_t*>(p[0]), reinterpret_cast<const T*>(p[1]),
                   reinterpret_cast<const T*>(p[2]), n, s[1], s[2], s[0]);
  });
}

template <typename T>
void compare_typed(lathe_binary_op op, const lathe_view* a, const lathe_view* b,
                   const lathe_view* out) {
  switch (op) {
    case LATHE_BINARY_EQ: return compare_loop<T>([](T u, T v) { return u == v; }, a, b, out);
    case LATHE_BINARY_NE: return compare_loop<T>([](T u, T v) { return u != v; }, a, b, out);
    case LATHE_BINARY_LT: return compare_loop<T>([](T u, T v) { return u < v; }, a, b, out);
    case LATHE_BINARY_LE: return compare_loop<T>([](T u, T v) { return u <= v; }, a, b, out);
    case LATHE_BINARY_GT: return compare_loop<T>([](T u, T v) { return u > v; }, a, b, out);
    default: return compare_loop<T>([](T u, T v) { return u >= v; }, a, b, out);
  }
}

bool is_comparison(lathe_binary_op op) {
  return op == LATHE_BINARY_EQ || op == LATHE_BINARY_NE || op == LATHE_BINARY_LT ||
         op == LATHE_BINARY_LE || op == LATHE_BINARY_GT || op == LATHE_BINARY_GE;
}

bool same_shape(const lathe_view* a, const lathe_view* b) {
  if (a->ndim != b->ndim) return false;
  for (int i = 0; i < a->ndim; ++i)
    if (a->shape[i] != b->shape[i]) return false;
  return true;
}

// ---- where / copy / fill ----

template <typename T>
LATHE_CPU_CLONES void where_row(T* o, const uint8_t* c, const T* x, const T* y, int64_t n,
                                const int64_t* s) {
  if (s[0] == 1 && s[1] == 1 && s[2] == 1 && s[3] == 1) {
    for (int64_t i = 0; i < n; ++i) o[i] = c[i] ? x[i] : y[i];
  } else if (s[0] == 1 && s[1] == 1 && s[2] == 1 && s[3] == 0) {
    const T v = *y;
    for (int64_t i = 0; i < n; ++i) o[i] = c[i] ? x[i] : v;
  } else if (s[0] == 1 && s[1] == 1 && s[2] == 0 && s[3] == 1) {
    const T v = *x;
    for (int64_t i = 0; i < n; ++i) o[i] = c[i] ? v : y[i];
  } else {
    for (int64_t i = 0; i < n; ++i) o[i * s[0]] = c[i * s[1]] ? x[i * s[2]] : y[i * s[3]];
  }
}

template <typename T>
void where_typed(const lathe_view* c, const lathe_view* a, const lathe_view* b,
                 const lathe_view* out) {
  const lathe_view* views[4] = {out, c, a, b};
  Loop l = make_loop(views, 4);
  for_each_row(l, [&](char** p, int64_t n, const int64_t* s) {
    where_row(reinterpret_cast<T*>(p[0]), reinterpret_cast<const uint8_t*>(p[1]),
              reinterpret_cast<const T*>(p[2]), reinterpret_cast<const T*>(p[3]), n, s);
  });
}

template <typename From, typename To>
void convert_typed(const lathe_view* src, const lathe_view* dst) {
  const lathe_view* views[2] = {dst, src};
  Loop l = make_loop(views, 2);
  for_each_row(l, [&](char** p, int64_t n, const int64_t* s) {
    To* o = reinterpret_cast<To*>(p[0]);
    const From* x = reinterpret_cast<const From*>(p[1]);
    if (s[0] == 1 && s[1] == 1 && std::is_same<From, To>::value) {
      std::memcpy(o, x, static_cast<size_t>(n) * sizeof(To));
      return;
    }
    for (int64_t i = 0; i < n; ++i) o[i * s[0]] = static_cast<To>(x[i * s[1]]);
  });
}

}  // namespace

lathe_status unary(int32_t device, lathe_unary_op op, const lathe_view* in, const lathe_view* out,
                   double a, double b) {
  if (op == LATHE_UNARY_NOT || in->dtype != out->dtype || !same_shape(in, out))
    return from_reference(reference()->unary(device, op, in, out, a, b));
  if (in->dtype == LATHE_F32) {
    if (dnnl_unary(op, in, out, a, b)) return LATHE_OK;
    if (unary_typed<float>(op, in, out, static_cast<float>(a), static_cast<float>(b)))
      return LATHE_OK;
  }
  if (in->dtype == LATHE_F64 && unary_typed<double>(op, in, out, a, b)) return LATHE_OK;
  return from_reference(reference()->unary(device, op, in, out, a, b));
}

lathe_status binary(int32_t device, lathe_binary_op op, const lathe_view* a, const lathe_view* b,
                    const lathe_view* out) {
  bool shapes = same_shape(a, out) && same_shape(b, out) && a->dtype == b->dtype;
  if (shapes && is_comparison(op) && out->dtype == LATHE_BOOL) {
    switch (a->dtype) {
      case LATHE_F32: compare_typed<float>(op, a, b, out); return LATHE_OK;
      case LATHE_F64: compare_typed<double>(op, a, b, out); return LATHE_OK;
      case LATHE_I64: compare_typed<int64_t>(op, a, b, out); return LATHE_OK;
      default: break;
    }
  }
  if (shapes && out->dtype == a->dtype) {
    switch (a->dtype) {
      case LATHE_F32:
        if (binary_arith<float>(op, a, b, out)) return LATHE_OK;
        break;
      case LATHE_F64:
        if (binary_arith<double>(op, a, b, out)) return LATHE_OK;
        break;
      case LATHE_I64:
        if (op != LATHE_BINARY_DIV && op != LATHE_BINARY_POW && binary_arith<int64_t>(op, a, b, out))
          return LATHE_OK;
        break;
      default: break;
    }
  }
  return from_reference(reference()->binary(device, op, a, b, out));
}

lathe_status where(int32_t device, const lathe_view* c, const lathe_view* a, const lathe_view* b,
                   const lathe_view* out) {
  bool ok = c->dtype == LATHE_BOOL && a->dtype == out->dtype && b->dtype == out->dtype &&
            same_shape(c, out) && same_shape(a, out) && same_shape(b, out);
  if (ok && out->dtype == LATHE_F32) return where_typed<float>(c, a, b, out), LATHE_OK;
  if (ok && out->dtype == LATHE_F64) return where_typed<double>(c, a, b, out), LATHE_OK;
  return from_reference(reference()->where(device, c, a, b, out));
}

lathe_status copy(int32_t device, const lathe_view* src, const lathe_view* dst) {
  if (same_shape(src, dst)) {
    lathe_dtype s = src->dtype, d = dst->dtype;
    if (s == d) {  // same dtype: move bits, whatever they mean
      switch (dtype_size(s)) {
        case 1: return convert_typed<uint8_t, uint8_t>(src, dst), LATHE_OK;
        case 2: return convert_typed<uint16_t, uint16_t>(src, dst), LATHE_OK;
        case 4: return convert_typed<uint32_t, uint32_t>(src, dst), LATHE_OK;
        case 8: return convert_typed<uint64_t, uint64_t>(src, dst), LATHE_OK;
        default: break;
      }
    }
    if (s == LATHE_F32 && d == LATHE_F64) return convert_typed<float, double>(src, dst), LATHE_OK;
    if (s == LATHE_F64 && d == LATHE_F32) return convert_typed<double, float>(src, dst), LATHE_OK;
    if (s == LATHE_I64 && d == LATHE_F32) return convert_typed<int64_t, float>(src, dst), LATHE_OK;
    if (s == LATHE_I64 && d == LATHE_F64) return convert_typed<int64_t, double>(src, dst), LATHE_OK;
    if (s == LATHE_BOOL && d == LATHE_F32) return convert_typed<uint8_t, float>(src, dst), LATHE_OK;
    if (s == LATHE_BOOL && d == LATHE_F64) return convert_typed<uint8_t, double>(src, dst), LATHE_OK;
  }
  return from_reference(reference()->copy(device, src, dst));
}

lathe_status fill(int32_t device, const lathe_view* dst, double value) {
  if (dst->dtype == LATHE_F32 || dst->dtype == LATHE_F64) {
    const lathe_view* views[1] = {dst};
    Loop l = make_loop(views, 1);
    bool f32 = dst->dtype == LATHE_F32;
    for_each_row(l, [&](char** p, int64_t n, const int64_t* s) {
      if (f32) {
        float* o = reinterpret_cast<float*>(p[0]);
        for (int64_t i = 0; i < n; ++i) o[i * s[0]] = static_cast<float>(value);
      } else {
        double* o = reinterpret_cast<double*>(p[0]);
        for (int64_t i = 0; i < n; ++i) o[i * s[0]] = value;
      }
    });
    return LATHE_OK;
  }
  return from_reference(reference()->fill(device, dst, value));
}

}  // namespace lathe_cpu
