// Fused kernels of the cpu backend (backend.h: supports / run_fused; the names are the list of
// backends/fused_ops.def, switched on as lathe_fused_op). Each replaces a composite
// that the conformance tests compare it against; the op files document inputs and outputs:
//   softmax, softmax_backward, log_softmax, log_softmax_backward   (ops/nn/softmax.cpp, ...)
//   softmax_cross_entropy, softmax_cross_entropy_backward          (ops/nn/softmax_cross_entropy.cpp)
//   layer_norm, rms_norm and their backwards                        (fused_norm.cpp)
//   bspline_basis                                                    (fused_kan.cpp)
//   sinkhorn_softmin, sinkhorn_softmin_backward                      (fused_sinkhorn.cpp)
//   conv_forward, conv_backward_data, conv_backward_weights (oneDNN)  (fused_conv.cpp)
//   max_pool, avg_pool and their backwards                            (fused_pool.cpp)
//   cholesky, solve, eigh, svd, ... (LAPACK; no composite: linalg.cpp)
//   dft (kissfft; no composite: fft.cpp)
// All work on contiguous rows (the reduced axis last), f32 or f64, one pass per row where the
// math allows, rows split across threads. f32 exponentials use an AVX2 polynomial when the CPU
// has it (about 1 ulp; ~8x the throughput of libm's scalar expf).
#include <immintrin.h>

#include <cmath>
#include <type_traits>

#include "backends/cpu/cpu.h"
#include "backends/cpu/loops.h"

namespace lathe_cpu {

namespace {

// ---- exponentials ----

bool has_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return yes;
}

// exp for 8 floats: x = n ln2 + r, exp(x) = 2^n exp(r), exp(r) by the Cephes polynomial.
__attribute__((target("avx2,fma"))) __m256 exp8(__m256 x) {
  const __m256 hi = _mm256_set1_ps(88.3762626647949f), lo = _mm256_set1_ps(-88.3762626647949f);
  __m256 xc = _mm256_min_ps(_mm256_max_ps(x, lo), hi);
  __m256 fx = _mm256_floor_ps(
      _mm256_fmadd_ps(xc, _mm256_set1_ps(1.44269504088896341f), _mm256_set1_ps(0.5f)));
  __m256 r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(0.693359375f), xc);
  r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(-2.12194440e-4f), r);
  __m256 p = _mm256_set1_ps(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
  p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
  __m256i n = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(fx), _mm256_set1_epi32(127)), 23);
  __m256 y = _mm256_mul_ps(p, _mm256_castsi256_ps(n));
  y = _mm256_blendv_ps(y, _mm256_setzero_ps(), _mm256_cmp_ps(x, lo, _CMP_LT_OQ));
  y = _mm256_blendv_ps(y, _mm256_set1_ps(INFINITY), _mm256_cmp_ps(x, hi, _CMP_GT_OQ));
  return _mm256_blendv_ps(y, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));  // NaN stays NaN
}

// The row maximum, or NaN when the row holds one (as the composite's max propagates it).
__attribute__((target("avx2,fma"))) float max_avx2(const float* x, int64_t n) {
  __m256 m = _mm256_set1_ps(-INFINITY), nan = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    m = _mm256_max_ps(m, v);
    nan = _mm256_or_ps(nan, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
  }
  if (_mm256_movemask_ps(nan)) return NAN;
  float lanes[8];
  _mm256_storeu_ps(lanes, m);
  float best = -INFINITY;
  for (float v : lanes) best = v > best ? v : best;
  for (; i < n; ++i) {
    if (x[i] != x[i]) return x[i];
    best = x[i] > best ? x[i] : best;
  }
  return best;
}

// out[i] = scale * exp(x[i] - shift) (out may be null: sum only); returns the sum of the
// exponentials (before scaling).
__attribute__((target("avx2,fma"))) float exp_sum_avx2(const float* x, float shift, float scale,
                                                       float* out, int64_t n) {
  __m256 s = _mm256_setzero_ps(), sh = _mm256_set1_ps(shift), sc = _mm256_set1_ps(scale);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(x + i), sh));
    if (out) _mm256_storeu_ps(out + i, _mm256_mul_ps(e, sc));
    s = _mm256_add_ps(s, e);
  }
  float lanes[8];
  _mm256_storeu_ps(lanes, s);
  float total = 0;
  for (float v : lanes) total += v;
  for (; i < n; ++i) {
    float e = std::exp(x[i] - shift);
    if (out) out[i] = scale * e;
    total += e;
  }
  return total;
}

// The row maximum, NaN when the row holds one.
template <typename T>
T row_max(const T* x, int64_t n) {
  if constexpr (std::is_same<T, float>::value)
    if (has_avx2()) return max_avx2(x, n);
  T best = -INFINITY;
  for (int64_t i = 0; i < n; ++i) {
    if (x[i] != x[i]) return x[i];
    best = x[i] > best ? x[i] : best;
  }
  return best;
}

// out[i] = scale * exp(x[i] - shift) (out may be null); returns sum of exp(x[i] - shift).
template <typename T>
T exp_sum(const T* x, T shift, T* out, int64_t n, T scale = T(1)) {
  if constexpr (std::is_same<T, float>::value)
    if (has_avx2()) return exp_sum_avx2(x, shift, scale, out, n);
  T total = 0;
  for (int64_t i = 0; i < n; ++i) {
    T e = std::exp(x[i] - shift);
    if (out) out[i] = scale * e;
    total += e;
  }
  return total;
}

}  // namespace

float exp_shift_sum(const float* x, float shift, float* out, int64_t n) {
  return exp_sum(x, shift, out, n);
}
double exp_shift_sum(const double* x, double shift, double* out, int64_t n) {
  return exp_sum(x, shift, out, n);
}
float row_maximum(const float* x, int64_t n) { return row_max(x, n); }
double row_maximum(const double* x, int64_t n) { return row_max(x, n); }

namespace {

// ---- row kernels ----

template <typename T>
void softmax_rows(const T* x, T* y, int64_t rows, int64_t n) {
  parallel_for(rows, n * 4, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* xr = x + r * n;
      T* yr = y + r * n;
      T sum = exp_sum(xr, row_max(xr, n), yr, n);
      T inv = T(1) / sum;
      for (int64_t i = 0; i < n; ++i) yr[i] *= inv;
    }
  });
}

template <typename T>
void log_softmax_rows(const T* x, T* y, int64_t rows, int64_t n) {
  parallel_for(rows, n * 4, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* xr = x + r * n;
      T* yr = y + r * n;
      T m = row_max(xr, n);
      T log_sum = std::log(exp_sum(xr, m, static_cast<T*>(nullptr), n));
      for (int64_t i = 0; i < n; ++i) yr[i] = (xr[i] - m) - log_sum;
    }
  });
}

template <typename T>
void softmax_backward_rows(const T* g, const T* y, T* dx, int64_t rows, int64_t n) {
  parallel_for(rows, n * 3, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T *gr = g + r * n, *yr = y + r * n;
      T* dr = dx + r * n;
      T dot = 0;
      for (int64_t i = 0; i < n; ++i) dot += gr[i] * yr[i];
      for (int64_t i = 0; i < n; ++i) dr[i] = yr[i] * (gr[i] - dot);
    }
  });
}

template <typename T>
void log_softmax_backward_rows(const T* g, const T* y, T* dx, int64_t rows, int64_t n) {
  parallel_for(rows, n * 4, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T *gr = g + r * n, *yr = y + r * n;
      T* dr = dx + r * n;
      T total = 0;
      for (int64_t i = 0; i < n; ++i) total += gr[i];
      exp_sum(yr, T(0), dr, n);  // dr = exp(y)
      for (int64_t i = 0; i < n; ++i) dr[i] = gr[i] - dr[i] * total;
    }
  });
}

// Returns the first out-of-range label's row, or -1. lse is kept in double (see the op file).
template <typename T>
int64_t xent_rows(const T* x, const int64_t* labels, T* loss, double* lse, int64_t rows,
                  int64_t n) {
  for (int64_t r = 0; r < rows; ++r)
    if (labels[r] < 0 || labels[r] >= n) return r;
  parallel_for(rows, n * 3, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* xr = x + r * n;
      T m = row_max(xr, n);
      double log_sum = std::log(static_cast<double>(exp_sum(xr, m, static_cast<T*>(nullptr), n)));
      lse[r] = static_cast<double>(m) + log_sum;
      loss[r] = static_cast<T>(static_cast<double>(m - xr[labels[r]]) + log_sum);
    }
  });
  return -1;
}

template <typename T>
int64_t xent_backward_rows(const T* g, const T* x, const int64_t* labels, const double* lse,
                           T* dx, int64_t rows, int64_t n) {
  for (int64_t r = 0; r < rows; ++r)
    if (labels[r] < 0 || labels[r] >= n) return r;
  parallel_for(rows, n * 4, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      T* dr = dx + r * n;
      // exp(x - lse) = exp(x - s) exp(-(lse - s)) with s = lse rounded to T: x - s is exact
      // for the entries that matter (those near the maximum), the residual is tiny.
      T shift = static_cast<T>(lse[r]);
      T scale = static_cast<T>(std::exp(static_cast<double>(shift) - lse[r]));
      exp_sum(x + r * n, shift, dr, n, scale * g[r]);  // dr = g softmax(x)
      dr[labels[r]] -= g[r];
    }
  });
  return -1;
}

// ---- matching calls ----

bool contiguous(const lathe_view& v) {
  int64_t expected = 1;
  for (int d = v.ndim - 1; d >= 0; --d) {
    if (v.shape[d] != 1 && v.strides[d] != expected) return false;
    expected *= v.shape[d];
  }
  return true;
}

bool same_shape(const lathe_view& a, const lathe_view& b) {
  if (a.ndim != b.ndim) return false;
  for (int d = 0; d < a.ndim; ++d)
    if (a.shape[d] != b.shape[d]) return false;
  return true;
}

// The call's compute dtype (f32 or f64, from its first output) and every view contiguous; each
// op's match below checks the dtypes of its own views.
bool views_ok(const lathe_fused_call* c, lathe_dtype* dtype) {
  *dtype = c->outputs[0].dtype;
  if (*dtype != LATHE_F32 && *dtype != LATHE_F64) return false;
  for (int i = 0; i < c->n_outputs; ++i)
    if (!contiguous(c->outputs[i])) return false;
  for (int i = 0; i < c->n_inputs; ++i)
    if (!contiguous(c->inputs[i])) return false;
  return true;
}

bool matches(lathe_fused_op k, const lathe_fused_call* c) {
  lathe_dtype t;
  if (k == LATHE_FUSED_NONE || c->n_outputs < 1 || !views_ok(c, &t)) return false;
  switch (k) {
    case LATHE_FUSED_SOFTMAX:
    case LATHE_FUSED_LOG_SOFTMAX:
      return c->n_inputs == 1 && c->n_outputs == 1 && c->n_attrs == 1 &&
             c->inputs[0].ndim >= 1 && c->attrs[0] == c->inputs[0].ndim - 1 &&
             c->inputs[0].dtype == t && same_shape(c->inputs[0], c->outputs[0]);
    case LATHE_FUSED_SOFTMAX_BACKWARD:
    case LATHE_FUSED_LOG_SOFTMAX_BACKWARD:
      return c->n_inputs == 2 && c->n_outputs == 1 && c->n_attrs == 1 &&
             c->inputs[1].ndim >= 1 && c->attrs[0] == c->inputs[1].ndim - 1 &&
             c->inputs[0].dtype == t && c->inputs[1].dtype == t &&
             same_shape(c->inputs[0], c->inputs[1]);
    case LATHE_FUSED_SOFTMAX_CROSS_ENTROPY:
      return c->n_inputs == 2 && c->n_outputs == 2 && c->inputs[0].ndim == 2 &&
             c->inputs[0].dtype == t && c->inputs[1].dtype == LATHE_I64 &&
             c->outputs[1].dtype == LATHE_F64;
    case LATHE_FUSED_SOFTMAX_CROSS_ENTROPY_BACKWARD:
      return c->n_inputs == 4 && c->n_outputs == 1 && c->inputs[1].ndim == 2 &&
             c->inputs[0].dtype == t && c->inputs[1].dtype == t &&
             c->inputs[2].dtype == LATHE_I64 && c->inputs[3].dtype == LATHE_F64;
    default: return false;
  }
}

template <typename T>
lathe_status run_typed(lathe_fused_op k, const lathe_fused_call* c) {
  auto in = [c](int i) { return static_cast<const T*>(c->inputs[i].data); };
  auto out = [c](int i) { return static_cast<T*>(c->outputs[i].data); };
  const lathe_view& shape_of = c->outputs[0].ndim ? c->outputs[0] : c->inputs[0];
  bool xent = k == LATHE_FUSED_SOFTMAX_CROSS_ENTROPY;
  int64_t n = xent ? c->inputs[0].shape[1] : shape_of.shape[shape_of.ndim - 1];
  int64_t total = 1;
  for (int d = 0; d < shape_of.ndim; ++d) total *= shape_of.shape[d];
  int64_t rows = xent ? c->inputs[0].shape[0] : (n ? total / n : 0);
  int64_t bad = -1;
  switch (k) {
    case LATHE_FUSED_SOFTMAX: softmax_rows(in(0), out(0), rows, n); break;
    case LATHE_FUSED_LOG_SOFTMAX: log_softmax_rows(in(0), out(0), rows, n); break;
    case LATHE_FUSED_SOFTMAX_BACKWARD: softmax_backward_rows(in(0), in(1), out(0), rows, n); break;
    case LATHE_FUSED_LOG_SOFTMAX_BACKWARD:
      log_softmax_backward_rows(in(0), in(1), out(0), rows, n);
      break;
    case LATHE_FUSED_SOFTMAX_CROSS_ENTROPY:
      bad = xent_rows(in(0), static_cast<const int64_t*>(c->inputs[1].data), out(0),
                      static_cast<double*>(c->outputs[1].data), rows, n);
      break;
    case LATHE_FUSED_SOFTMAX_CROSS_ENTROPY_BACKWARD:
      bad = xent_backward_rows(in(0), in(1), static_cast<const int64_t*>(c->inputs[2].data),
                               static_cast<const double*>(c->inputs[3].data), out(0), rows, n);
      break;
    default: break;
  }
  if (bad >= 0) {
    const int64_t* labels = static_cast<const int64_t*>(c->inputs[xent ? 1 : 2].data);
    return fail(LATHE_ERR_INDEX, "%s: label %lld in row %lld is out of range for %lld classes",
                c->op, static_cast<long long>(labels[bad]), static_cast<long long>(bad),
                static_cast<long long>(n));
  }
  return LATHE_OK;
}

}  // namespace

int32_t supports(int32_t device, const lathe_fused_call* call) {
  lathe_fused_op k = lathe_fused_op_of(call->op);
  return device == 0 && (matches(k, call) || norm_supports(k, call) || kan_supports(k, call) ||
                         sinkhorn_supports(k, call) || conv_supports(k, call) ||
                         pool_supports(k, call) ||
                         linalg_supports(call) || fft_supports(call));
}

lathe_status run_fused(int32_t device, const lathe_fused_call* call) {
  lathe_fused_op k = lathe_fused_op_of(call->op);
  if (device == 0 && (norm_run(k, call) || kan_run(k, call) || pool_run(k, call) ||
                      sinkhorn_run(k, call)))
    return LATHE_OK;
  lathe_status status;
  if (device == 0 && conv_run(k, call, &status)) return status;
  if (device == 0 && linalg_supports(call)) return linalg_run(call);
  if (device == 0 && fft_supports(call)) return fft_run(call);
  if (device != 0 || !matches(k, call))
    return fail(LATHE_ERR_UNSUPPORTED, "cpu: no fused kernel '%s' for this call", call->op);
  return call->outputs[0].dtype == LATHE_F32 ? run_typed<float>(k, call)
                                             : run_typed<double>(k, call);
}

}  // namespace lathe_cpu
