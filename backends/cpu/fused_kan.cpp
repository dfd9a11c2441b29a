// Fused KAN basis kernels of the cpu backend (contracts in ops/kan/bspline_basis.cpp and
// ops/kan/group_rational.cpp).
//
// bspline_basis: for each x, find its knot span s (g_s <= x < g_{s+1}) and run Cox-de Boor on
// the (k + 1)-wide triangle of bases that can be nonzero there, with the composite's
// conventions: a knot difference that is not positive divides by 1; bases whose index leaves
// an order's valid range do not exist (0); x outside [g_0, g_last) gives all zeros; NaN gives
// NaN. Every other basis of the row is written 0.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "backends/cpu/cpu.h"
#include "backends/cpu/loops.h"

namespace lathe_cpu {

namespace {

constexpr int kMaxOrder = 16;  // spline orders beyond this run the composite

template <typename T>
T safe_width(T d) {
  return d > T(0) ? d : T(1);
}

// Bases of order k at x on knots g[0..m) into out[0..m - k - 1).
template <typename T>
void bspline_row(T x, const T* g, int64_t m, int k, T* out) {
  int64_t count = m - k - 1;
  if (x != x) {
    std::fill(out, out + count, x);
    return;
  }
  std::fill(out, out + count, T(0));
  if (!(x >= g[0] && x < g[m - 1])) return;
  int64_t s = std::upper_bound(g, g + m, x) - g - 1;  // g[s] <= x < g[s + 1]
  // b[t] holds B^p_{s - p + t} for t = 0..p.
  T b[kMaxOrder + 1], next[kMaxOrder + 1];
  b[0] = T(1);
  for (int p = 1; p <= k; ++p) {
    int64_t top = m - p - 2;  // the last valid basis index of order p
    for (int t = 0; t <= p; ++t) {
      int64_t j = s - p + t;
      T v = T(0);
      if (j >= 0 && j <= top) {
        if (t >= 1) v += (x - g[j]) / safe_width(g[j + p] - g[j]) * b[t - 1];
        if (t <= p - 1) v += (g[j + p + 1] - x) / safe_width(g[j + p + 1] - g[j + 1]) * b[t];
      }
      next[t] = v;
    }
    std::copy(next, next + p + 1, b);
  }
  for (int t = 0; t <= k; ++t) {
    int64_t j = s - k + t;
    if (j >= 0 && j < count) out[j] = b[t];
  }
}

template <typename T>
void bspline(const lathe_fused_call* c, int k) {
  const lathe_view& xv = c->inputs[0];
  int64_t in = xv.ndim ? xv.shape[xv.ndim - 1] : 1;
  int64_t m = c->inputs[1].shape[1], count = m - k - 1, total = 1;
  for (int d = 0; d < xv.ndim; ++d) total *= xv.shape[d];
  const T* x = static_cast<const T*>(xv.data);
  const T* grid = static_cast<const T*>(c->inputs[1].data);
  T* out = static_cast<T*>(c->outputs[0].data);
  parallel_for(total, count * (k + 2) * 4, [&](int64_t e0, int64_t e1) {
    for (int64_t e = e0; e < e1; ++e) bspline_row(x[e], grid + (e % in) * m, m, k, out + e * count);
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
