// Fused KAN basis kernels of the cpu backend (contracts in ops/kan/bspline_basis.cpp and
// ops/kan/group_rational.cpp).
//
// bspline_basis: Cox-de Boor on the whole row of bases, as the composite (efficient-kan's
// formulation): B^0_j = [g_j <= x < g_{j+1}], then for p = 1..k
//   B^p_j = (x - g_j) / w(g_{j+p} - g_j) B^{p-1}_j + (g_{j+p+1} - x) / w(g_{j+p+1} - g_{j+1}) B^{p-1}_{j+1}
// where w(d) = d for d > 0 and 1 otherwise (repeated knots), so x outside [g_0, g_last) gives
// all zeros and NaN gives NaN. The reciprocal widths are computed once per feature, and the
// row recursion runs in place in a buffer of m - 1 values that the compiler vectorizes.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "backends/cpu/cpu.h"
#include "backends/cpu/loops.h"

namespace lathe_cpu {

namespace {

constexpr int kMaxOrder = 16;  // spline orders beyond this run the composite

template <typename T>
T safe_width(T d) {
  return d > T(0) ? d : T(1);
}

constexpr int64_t kLanes = 8;  // rows computed side by side, one SIMD lane each

// kLanes values as one vector (GCC vector extension): AVX registers in the x86-64-v3 clone.
template <typename T>
struct Lanes;
template <>
struct Lanes<float> {
  typedef float type __attribute__((vector_size(kLanes * sizeof(float))));
};
template <>
struct Lanes<double> {
  typedef double type __attribute__((vector_size(kLanes * sizeof(double))));
};

// Bases of rows [r0, r1) (at most kLanes) of x [rows, in] into out [rows, in, count]; recip
// [in, k + 1, m] holds 1 / w(g[j + p] - g[j]); b is scratch of m - 1 vectors. The recursion
// runs down the knots with one lane per row, so every update is a vertical vector operation.
template <typename T, typename V = typename Lanes<T>::type>
inline __attribute__((always_inline)) void bspline_lanes(
    const T* __restrict x, const T* __restrict grid, const T* __restrict recip, int64_t in,
    int64_t m, int k, int64_t r0, int64_t r1, V* __restrict b, T* __restrict out) {
  const int64_t count = m - k - 1, n = r1 - r0;
  const V zero = {}, one = zero + T(1);
  for (int64_t i = 0; i < in; ++i) {
    const T* g = grid + i * m;
    V xs = zero;
    for (int64_t l = 0; l < n; ++l) xs[l] = x[(r0 + l) * in + i];
    // Outside [g_0, g_last) the bases are 0: evaluate there at g_0, so that huge or infinite x
    // cannot turn 0 * inf into NaN. NaN rows are written below.
    const V x_eval = (xs >= g[0]) & (xs < g[m - 1]) ? xs : zero + g[0];
    for (int64_t j = 0; j < m - 1; ++j) b[j] = (xs >= g[j]) & (xs < g[j + 1]) ? one : zero;
    for (int p = 1; p <= k; ++p) {
      const T* rp = recip + (i * (k + 1) + p) * m;
      for (int64_t j = 0; j < m - 1 - p; ++j)  // ascending: b[j + 1] still has order p - 1
        b[j] = (x_eval - g[j]) * rp[j] * b[j] + (g[j + p + 1] - x_eval) * rp[j + 1] * b[j + 1];
    }
    for (int64_t l = 0; l < n; ++l) {
      T* o = out + ((r0 + l) * in + i) * count;
      if (xs[l] != xs[l]) {
        std::fill(o, o + count, xs[l]);
        continue;
      }
      for (int64_t j = 0; j < count; ++j) o[j] = b[j][l];
    }
  }
}

// One clone per instruction set; the loader picks the best the machine has.
#define LATHE_BSPLINE_LANES(T, name)                                                            \
  __attribute__((target_clones("arch=x86-64-v3", "default"))) void name(                         \
      const T* x, const T* grid, const T* recip, int64_t in, int64_t m, int k, int64_t r0,      \
      int64_t r1, Lanes<T>::type* b, T* out) {                                                               \
    bspline_lanes<T>(x, grid, recip, in, m, k, r0, r1, b, out);                                 \
  }
LATHE_BSPLINE_LANES(float, bspline_lanes_f32)
LATHE_BSPLINE_LANES(double, bspline_lanes_f64)
#undef LATHE_BSPLINE_LANES

void bspline_lanes_any(const float* x, const float* g, const float* r, int64_t in, int64_t m,
                       int k, int64_t r0, int64_t r1, Lanes<float>::type* b, float* out) {
  bspline_lanes_f32(x, g, r, in, m, k, r0, r1, b, out);
}
void bspline_lanes_any(const double* x, const double* g, const double* r, int64_t in,
                       int64_t m, int k, int64_t r0, int64_t r1, Lanes<double>::type* b,
                       double* out) {
  bspline_lanes_f64(x, g, r, in, m, k, r0, r1, b, out);
}

template <typename T>
void bspline(const lathe_fused_call* c, int k) {
  const lathe_view& xv = c->inputs[0];
  int64_t in = xv.ndim ? xv.shape[xv.ndim - 1] : 1;
  int64_t m = c->inputs[1].shape[1], total = 1;
  for (int d = 0; d < xv.ndim; ++d) total *= xv.shape[d];
  const T* x = static_cast<const T*>(xv.data);
  const T* grid = static_cast<const T*>(c->inputs[1].data);
  T* out = static_cast<T*>(c->outputs[0].data);
  std::vector<T> recip(static_cast<size_t>(in * (k + 1) * m), T(0));  // [in, k + 1, m]
  for (int64_t i = 0; i < in; ++i)
    for (int p = 1; p <= k; ++p)
      for (int64_t j = 0; j + p < m; ++j) {
        const T* g = grid + i * m;
        recip[(i * (k + 1) + p) * m + j] = T(1) / safe_width(g[j + p] - g[j]);
      }
  int64_t rows = total / in, blocks = (rows + kLanes - 1) / kLanes;
  parallel_for(blocks, kLanes * in * m * (k + 1) * 2, [&](int64_t b0, int64_t b1) {
    using V = typename Lanes<T>::type;  // over-aligned: std::vector would not align it
    std::unique_ptr<V, decltype(&std::free)> scratch(
        static_cast<V*>(std::aligned_alloc(sizeof(V), static_cast<size_t>(m) * sizeof(V))),
        &std::free);
    for (int64_t blk = b0; blk < b1; ++blk)
      bspline_lanes_any(x, grid, recip.data(), in, m, k, blk * kLanes,
                        std::min(rows, (blk + 1) * kLanes), scratch.get(), out);
  });
}

bool dense(const lathe_view& v, int64_t* n) {
  int64_t expected = 1;
  for (int d = v.ndim - 1; d >= 0; --d) {
    if (v.shape[d] != 1 && v.strides[d] != expected) return false;
    expected *= v.shape[d];
  }
  *n = expected;
  return true;
}

bool bspline_matches(const lathe_fused_call* c) {
  if (std::strcmp(c->op, "bspline_basis") || c->n_inputs != 2 || c->n_outputs != 1 ||
      c->n_attrs != 1)
    return false;
  const lathe_view &x = c->inputs[0], &g = c->inputs[1], &y = c->outputs[0];
  double k = c->attrs[0];
  if (k < 0 || k > kMaxOrder || k != std::floor(k)) return false;
  lathe_dtype t = x.dtype;
  if ((t != LATHE_F32 && t != LATHE_F64) || g.dtype != t || y.dtype != t) return false;
  int64_t nx, ng, ny;
  if (!dense(x, &nx) || !dense(g, &ng) || !dense(y, &ny) || x.ndim < 1 || g.ndim != 2) return false;
  int64_t in = x.shape[x.ndim - 1], m = g.shape[1];
  return g.shape[0] == in && m >= 2 * static_cast<int64_t>(k) + 2 &&
         ny == nx * (m - static_cast<int64_t>(k) - 1);
}

}  // namespace

bool kan_supports(const lathe_fused_call* call) { return bspline_matches(call); }

bool kan_run(const lathe_fused_call* call) {
  if (!bspline_matches(call)) return false;
  int k = static_cast<int>(call->attrs[0]);
  if (call->inputs[0].dtype == LATHE_F32)
    bspline<float>(call, k);
  else
    bspline<double>(call, k);
  return true;
}

}  // namespace lathe_cpu
