// Fused KAN basis kernels of the cpu backend (contracts in ops/kan/bspline_basis.cpp and
// ops/kan/group_rational.cpp).
//
// bspline_basis: Cox-de Boor on the whole row of bases, as the composite (efficient-kan's
// formulation): B^0_j = [g_j <= x < g_{j+1}], then for p = 1..k
//   B^p_j = (x - g_j) / w(g_{j+p} - g_j) B^{p-1}_j
//         + (g_{j+p+1} - x) / w(g_{j+p+1} - g_{j+1}) B^{p-1}_{j+1}
// where w(d) = d for d > 0 and 1 otherwise (repeated knots), so x outside [g_0, g_last) gives
// all zeros and NaN gives NaN. The reciprocal widths are computed once per feature, and the
// row recursion runs in place in a buffer of m - 1 values that the compiler vectorizes.
//
// group_rational / group_rational_backward: y = P(x) / Q(x) per channel group, Horner's scheme
// on kLanes elements at a time; the backward forms dx = g / Q (P' - y dQ/dx) and accumulates
// the coefficient gradients g / Q x^i and -g y / Q dQ/db_j per thread, summed at the end.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "backends/cpu/cpu.h"
#include "backends/cpu/loops.h"

// The vector helpers below are always inlined: no vector value crosses a real call, so the
// ABI note GCC makes about passing them does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

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
#define LATHE_BSPLINE_LANES(T, name)                                                               \
  __attribute__((target_clones("arch=x86-64-v3", "default"))) void name(                           \
      const T* x, const T* grid, const T* recip, int64_t in, int64_t m, int k, int64_t r0,         \
      int64_t r1, Lanes<T>::type* b, T* out) {                                                     \
    bspline_lanes<T>(x, grid, recip, in, m, k, r0, r1, b, out);                                    \
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

// --- group_rational ---------------------------------------------------------------------------

enum class Variant { paper = 0, kernel = 1, torch_ref = 2 };  // the attr's code, as in the op

template <typename V>
inline __attribute__((always_inline)) V vabs(const V& v) {
  return v < 0 ? -v : v;
}
template <typename V>
inline __attribute__((always_inline)) V vsign(const V& v) {
  const V zero = {};
  return v > 0 ? zero + 1 : v < 0 ? zero - 1 : zero;
}

// Loads w <= kLanes values into a vector (zeros after them), and stores the first w lanes.
template <typename T, typename V>
inline __attribute__((always_inline)) V load_lanes(const T* p, int64_t w) {
  V v = {};
  if (w == kLanes) {
    std::memcpy(&v, p, sizeof(V));
  } else {
    for (int64_t l = 0; l < w; ++l) v[l] = p[l];
  }
  return v;
}
template <typename T, typename V>
inline __attribute__((always_inline)) void store_lanes(const V& v, T* p, int64_t w) {
  if (w == kLanes) {
    std::memcpy(p, &v, sizeof(V));
  } else {
    for (int64_t l = 0; l < w; ++l) p[l] = v[l];
  }
}

// The shapes of a group_rational call: x [rows, D] in G groups of L = D / G channels;
// numerator [Ga, m1] (Ga = G or 1), denominator [G, n].
struct RationalShape {
  int64_t rows, d, groups, len, num_groups, m1, n;
};

// Q and its pieces at t for denominator row b: returns Q; r = R(s), rd = R'(s) where
// s = |t| (kernel) or t, and R(s) = sum_j c_j s^j with c_j = b_{j+1} (paper) or |b_{j+1}|.
template <Variant v, typename T, typename V>
inline __attribute__((always_inline)) V denominator(const V& t, const T* b, int64_t n, V* r,
                                                    V* rd) {
  V s = v == Variant::kernel ? vabs(t) : t, acc = {}, dacc = {};
  for (int64_t j = n - 1; j >= 0; --j) {
    T c = v == Variant::paper ? b[j] : std::abs(b[j]);
    dacc = dacc * s + acc;
    acc = acc * s + c;
  }
  *r = acc;
  *rd = dacc;
  V q = s * acc;
  return 1 + (v == Variant::paper ? vabs(q) : q);
}

template <Variant v, typename T, typename V = typename Lanes<T>::type>
inline __attribute__((always_inline)) void rational_forward(const T* __restrict x,
                                                            const T* __restrict a,
                                                            const T* __restrict b,
                                                            const RationalShape& sh, int64_t r0,
                                                            int64_t r1, T* __restrict y) {
  for (int64_t r = r0; r < r1; ++r)
    for (int64_t gi = 0; gi < sh.groups; ++gi) {
      const T* ag = a + (sh.num_groups == 1 ? 0 : gi) * sh.m1;
      const T* bg = b + gi * sh.n;
      int64_t base = r * sh.d + gi * sh.len;
      for (int64_t e = 0; e < sh.len; e += kLanes) {
        int64_t w = std::min(kLanes, sh.len - e);
        V t = load_lanes<T, V>(x + base + e, w);
        V p = {}, rr, rd;
        for (int64_t i = sh.m1 - 1; i >= 0; --i) p = p * t + ag[i];
        V q = denominator<v>(t, bg, sh.n, &rr, &rd);
        store_lanes<T, V>(p / q, y + base + e, w);
      }
    }
}

// Rows [r0, r1): dx, and the lane-wise coefficient gradients added into acc [groups, m1 + n,
// kLanes] (numerator terms, then denominator terms before the sign(b) factor of the kernel and
// torch_ref variants).
template <Variant v, typename T, typename V = typename Lanes<T>::type>
inline __attribute__((always_inline)) void rational_backward(
    const T* __restrict g, const T* __restrict x, const T* __restrict a, const T* __restrict b,
    const RationalShape& sh, int64_t r0, int64_t r1, T* __restrict dx, T* __restrict acc) {
  const int64_t per_group = sh.m1 + sh.n;
  for (int64_t r = r0; r < r1; ++r)
    for (int64_t gi = 0; gi < sh.groups; ++gi) {
      const T* ag = a + (sh.num_groups == 1 ? 0 : gi) * sh.m1;
      const T* bg = b + gi * sh.n;
      T* sums = acc + gi * per_group * kLanes;  // [m1 + n, kLanes], stays in L1
      int64_t base = r * sh.d + gi * sh.len;
      for (int64_t e = 0; e < sh.len; e += kLanes) {
        int64_t w = std::min(kLanes, sh.len - e);
        V t = load_lanes<T, V>(x + base + e, w);
        V gv = load_lanes<T, V>(g + base + e, w);  // idle lanes: g = 0 adds nothing
        V p = {}, dp = {}, rr, rd;
        for (int64_t i = sh.m1 - 1; i >= 0; --i) {
          dp = dp * t + p;
          p = p * t + ag[i];
        }
        V q = denominator<v>(t, bg, sh.n, &rr, &rd);
        V s = v == Variant::kernel ? vabs(t) : t;
        V dq_ds = rr + s * rd;  // d(s R(s))/ds
        V sgn = v == Variant::paper ? vsign(s * rr) : v == Variant::kernel ? vsign(t) : V{} + 1;
        V inv = 1 / q, gq = gv * inv, y = p * inv;
        store_lanes<T, V>(gq * (dp - y * sgn * dq_ds), dx + base + e, w);
        V pw = V{} + 1;
        for (int64_t i = 0; i < sh.m1; ++i, pw *= t) {
          T* at = sums + i * kLanes;
          store_lanes<T, V>(load_lanes<T, V>(at, kLanes) + gq * pw, at, kLanes);
        }
        // dQ/db_j = (paper: sign(S)) s^j (kernel, torch_ref: times sign(b_j), applied later)
        V coef = -gq * y * (v == Variant::paper ? sgn : V{} + 1), sp = s;
        for (int64_t j = 0; j < sh.n; ++j, sp *= s) {
          T* at = sums + (sh.m1 + j) * kLanes;
          store_lanes<T, V>(load_lanes<T, V>(at, kLanes) + coef * sp, at, kLanes);
        }
      }
    }
}

#define LATHE_RATIONAL(T, fwd, bwd)                                                                \
  __attribute__((target_clones("arch=x86-64-v3", "default"))) void fwd(                            \
      const T* x, const T* a, const T* b, const RationalShape& sh, Variant v, int64_t r0,          \
      int64_t r1, T* y) {                                                                          \
    if (v == Variant::paper) rational_forward<Variant::paper>(x, a, b, sh, r0, r1, y);             \
    if (v == Variant::kernel) rational_forward<Variant::kernel>(x, a, b, sh, r0, r1, y);           \
    if (v == Variant::torch_ref) rational_forward<Variant::torch_ref>(x, a, b, sh, r0, r1, y);     \
  }                                                                                                \
  __attribute__((target_clones("arch=x86-64-v3", "default"))) void bwd(                            \
      const T* g, const T* x, const T* a, const T* b, const RationalShape& sh, Variant v,          \
      int64_t r0, int64_t r1, T* dx, T* acc) {                                                     \
    if (v == Variant::paper) rational_backward<Variant::paper>(g, x, a, b, sh, r0, r1, dx, acc);   \
    if (v == Variant::kernel)                                                                      \
      rational_backward<Variant::kernel>(g, x, a, b, sh, r0, r1, dx, acc);                         \
    if (v == Variant::torch_ref)                                                                   \
      rational_backward<Variant::torch_ref>(g, x, a, b, sh, r0, r1, dx, acc);                      \
  }
LATHE_RATIONAL(float, rational_forward_f32, rational_backward_f32)
LATHE_RATIONAL(double, rational_forward_f64, rational_backward_f64)
#undef LATHE_RATIONAL

void rational_forward_any(const float* x, const float* a, const float* b, const RationalShape& sh,
                          Variant v, int64_t r0, int64_t r1, float* y) {
  rational_forward_f32(x, a, b, sh, v, r0, r1, y);
}
void rational_forward_any(const double* x, const double* a, const double* b,
                          const RationalShape& sh, Variant v, int64_t r0, int64_t r1, double* y) {
  rational_forward_f64(x, a, b, sh, v, r0, r1, y);
}
void rational_backward_any(const float* g, const float* x, const float* a, const float* b,
                           const RationalShape& sh, Variant v, int64_t r0, int64_t r1, float* dx,
                           float* acc) {
  rational_backward_f32(g, x, a, b, sh, v, r0, r1, dx, acc);
}
void rational_backward_any(const double* g, const double* x, const double* a, const double* b,
                           const RationalShape& sh, Variant v, int64_t r0, int64_t r1,
                           double* dx, double* acc) {
  rational_backward_f64(g, x, a, b, sh, v, r0, r1, dx, acc);
}

template <typename T>
void rational(const lathe_fused_call* c, const RationalShape& sh, Variant v) {
  auto in = [c](int i) { return static_cast<const T*>(c->inputs[i].data); };
  auto out = [c](int i) { return static_cast<T*>(c->outputs[i].data); };
  if (c->n_outputs == 1) {
    parallel_for(sh.rows, sh.d * (sh.m1 + sh.n) * 2, [&](int64_t r0, int64_t r1) {
      rational_forward_any(in(0), in(1), in(2), sh, v, r0, r1, out(0));
    });
    return;
  }
  // Backward: in g, x, numerator, denominator; per-thread lane-wise coefficient sums.
  const int64_t per_group = sh.m1 + sh.n, slots = sh.groups * per_group * kLanes;
  int threads = (sh.rows * sh.d * per_group < kParallelGrain || omp_in_parallel())
                    ? 1 : omp_get_max_threads();
  std::vector<T> partial(static_cast<size_t>(threads * slots), T(0));
#pragma omp parallel num_threads(threads)
  {
    int t = omp_get_thread_num(), nt = omp_get_num_threads();
    int64_t chunk = (sh.rows + nt - 1) / nt, r0 = std::min(sh.rows, t * chunk);
    int64_t r1 = std::min(sh.rows, r0 + chunk);
    if (r0 < r1)
      rational_backward_any(in(0), in(1), in(2), in(3), sh, v, r0, r1, out(0),
                            partial.data() + t * slots);
  }
  T* da = out(1);
  T* db = out(2);
  std::fill(da, da + sh.num_groups * sh.m1, T(0));
  const T* b = in(3);
  for (int64_t gi = 0; gi < sh.groups; ++gi)
    for (int64_t i = 0; i < per_group; ++i) {
      T total = 0;
      for (int t = 0; t < threads; ++t) {
        const T* lanes = partial.data() + t * slots + (gi * per_group + i) * kLanes;
        for (int64_t l = 0; l < kLanes; ++l) total += lanes[l];
      }
      if (i < sh.m1) {
        da[(sh.num_groups == 1 ? 0 : gi) * sh.m1 + i] += total;
      } else {
        T bj = b[gi * sh.n + i - sh.m1];
        T sign = v == Variant::paper ? T(1) : bj > 0 ? T(1) : bj < 0 ? T(-1) : T(0);
        db[gi * sh.n + i - sh.m1] = total * sign;
      }
    }
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

bool bspline_matches(lathe_fused_op op, const lathe_fused_call* c) {
  if (op != LATHE_FUSED_BSPLINE_BASIS || c->n_inputs != 2 || c->n_outputs != 1 ||
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

// group_rational: in x [..., D], numerator [Ga, m1], denominator [G, n]; out y; attrs {variant}.
// group_rational_backward: in g, x, numerator, denominator; out dx, dnumerator, ddenominator.
bool rational_matches(lathe_fused_op op, const lathe_fused_call* c, RationalShape* sh) {
  bool forward = op == LATHE_FUSED_GROUP_RATIONAL;
  bool backward = op == LATHE_FUSED_GROUP_RATIONAL_BACKWARD;
  if (!(forward && c->n_inputs == 3 && c->n_outputs == 1) &&
      !(backward && c->n_inputs == 4 && c->n_outputs == 3))
    return false;
  if (c->n_attrs != 1 || (c->attrs[0] != 0 && c->attrs[0] != 1 && c->attrs[0] != 2)) return false;
  const int first = backward ? 1 : 0;
  const lathe_view &x = c->inputs[first], &a = c->inputs[first + 1], &b = c->inputs[first + 2];
  lathe_dtype t = x.dtype;
  if (t != LATHE_F32 && t != LATHE_F64) return false;
  int64_t count;
  for (int i = 0; i < c->n_inputs; ++i)
    if (c->inputs[i].dtype != t || !dense(c->inputs[i], &count)) return false;
  for (int i = 0; i < c->n_outputs; ++i)
    if (c->outputs[i].dtype != t || !dense(c->outputs[i], &count)) return false;
  if (x.ndim < 1 || a.ndim != 2 || b.ndim != 2 || b.shape[0] < 1 || b.shape[1] < 1 ||
      a.shape[1] < 1 || a.shape[1] > 32 || b.shape[1] > 32)
    return false;
  int64_t d = x.shape[x.ndim - 1], numel = 1;
  for (int i = 0; i < x.ndim; ++i) numel *= x.shape[i];
  if (d == 0 || d % b.shape[0] || (a.shape[0] != 1 && a.shape[0] != b.shape[0])) return false;
  *sh = {numel / d, d, b.shape[0], d / b.shape[0], a.shape[0], a.shape[1], b.shape[1]};
  return true;
}

}  // namespace

bool kan_supports(lathe_fused_op op, const lathe_fused_call* call) {
  RationalShape sh;
  return bspline_matches(op, call) || rational_matches(op, call, &sh);
}

bool kan_run(lathe_fused_op op, const lathe_fused_call* call) {
  bool f32 = call->inputs[0].dtype == LATHE_F32;
  RationalShape sh;
  if (rational_matches(op, call, &sh)) {
    Variant v = static_cast<Variant>(static_cast<int>(call->attrs[0]));
    if (f32)
      rational<float>(call, sh, v);
    else
      rational<double>(call, sh, v);
    return true;
  }
  if (!bspline_matches(op, call)) return false;
  int k = static_cast<int>(call->attrs[0]);
  if (f32)
    bspline<float>(call, k);
  else
    bspline<double>(call, k);
  return true;
}

}  // namespace lathe_cpu
