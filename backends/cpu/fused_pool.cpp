// Pooling kernels of the cpu backend, f32 and f64: max_pool, max_pool_backward, avg_pool and
// avg_pool_backward (contracts in ops/nn/pool.cpp, whose composites they replace: those stack
// every window into a [N, C, *out, K] tensor, a few times the input's size in memory traffic).
// Direct loops, one (n, c) plane per task across threads: for each output, the taps whose input
// position o stride + k dilation - padding lies inside x (the others read padding: -inf for max,
// zeros for avg), found per dim once per call.
//   max_pool:  y = the max over the window, indices its flat spatial position (the first
//              maximum in row-major tap order, as the composite; a NaN wins and stops the scan).
//   avg_pool:  y = the window sum / divisor (the override, or the window's cell count inside x
//              plus, with count_include_pad, its padding: the ceil_mode overhang never counts).
//   backwards: gx = 0, then each output adds gy to the cell at its index (max) or gy / divisor
//              to every cell of its window (avg); a plane is one task, so no write races.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "backends/cpu/cpu.h"

namespace lathe_cpu {

namespace {

// Spatial dims padded in front to three (extent 1, kernel 1, no padding).
struct Pool {
  int64_t planes = 0;
  int64_t in[3], out[3], k[3], stride[3], dilation[3], pad[3];
  bool include_pad = false;
  double divisor_override = 0;
  // Per dim and output position: the first and one past the last tap inside x.
  std::vector<int64_t> tap_first[3], tap_last[3];
  int64_t in_plane() const { return in[0] * in[1] * in[2]; }
  int64_t out_plane() const { return out[0] * out[1] * out[2]; }
};

bool contiguous(const lathe_view& v) {
  int64_t expect = 1;
  for (int i = v.ndim - 1; i >= 0; --i) {
    if (v.shape[i] != 1 && v.strides[i] != expect) return false;
    expect *= v.shape[i];
  }
  return true;
}

bool is_float(const lathe_view& v) { return v.dtype == LATHE_F32 || v.dtype == LATHE_F64; }

bool is_pool(lathe_fused_op op) {
  return op == LATHE_FUSED_MAX_POOL || op == LATHE_FUSED_MAX_POOL_BACKWARD ||
         op == LATHE_FUSED_AVG_POOL || op == LATHE_FUSED_AVG_POOL_BACKWARD;
}

// The call's geometry from x's and y's views (either may be an output); false when the call is
// not one these loops run.
bool pool_of(lathe_fused_op op, const lathe_fused_call* call, Pool* g) {
  if (!is_pool(op)) return false;
  bool max_backward = op == LATHE_FUSED_MAX_POOL_BACKWARD;
  int n_in = max_backward ? 2 : 1, n_out = op == LATHE_FUSED_MAX_POOL ? 2 : 1;
  if (call->n_inputs != n_in || call->n_outputs != n_out) return false;
  bool forward = op == LATHE_FUSED_MAX_POOL || op == LATHE_FUSED_AVG_POOL;
  const lathe_view& x = forward ? call->inputs[0] : call->outputs[0];
  const lathe_view& y = forward ? call->outputs[0] : call->inputs[0];
  int nd = x.ndim, d = nd - 2;
  if (d < 1 || d > 3 || y.ndim != nd || !is_float(x) || y.dtype != x.dtype) return false;
  if (!contiguous(x) || !contiguous(y)) return false;
  for (int i = 0; i < 2; ++i)
    if (x.shape[i] != y.shape[i]) return false;
  if (op == LATHE_FUSED_MAX_POOL || max_backward) {
    const lathe_view& idx = op == LATHE_FUSED_MAX_POOL ? call->outputs[1] : call->inputs[1];
    if (idx.dtype != LATHE_I64 || idx.ndim != nd || !contiguous(idx)) return false;
    for (int i = 0; i < nd; ++i)
      if (idx.shape[i] != y.shape[i]) return false;
  }
  g->planes = x.shape[0] * x.shape[1];
  for (int j = 0; j < 3; ++j) {
    g->in[j] = g->out[j] = g->k[j] = g->stride[j] = g->dilation[j] = 1;
    g->pad[j] = 0;
  }
  for (int i = 0; i < d; ++i) {
    g->in[3 - d + i] = x.shape[2 + i];
    g->out[3 - d + i] = y.shape[2 + i];
  }
  bool avg = op == LATHE_FUSED_AVG_POOL || op == LATHE_FUSED_AVG_POOL_BACKWARD;
  if (!max_backward) {  // max_pool_backward needs only the indices
    if (call->n_attrs != 4 * d + (avg ? 2 : 0)) return false;
    const double* a = call->attrs;
    for (int i = 0; i < d; ++i) {
      int j = 3 - d + i;
      g->k[j] = static_cast<int64_t>(a[i]);
      g->stride[j] = static_cast<int64_t>(a[d + i]);
      g->dilation[j] = static_cast<int64_t>(a[2 * d + i]);
      g->pad[j] = static_cast<int64_t>(a[3 * d + i]);
      if (g->k[j] < 1 || g->stride[j] < 1 || g->dilation[j] < 1 || g->pad[j] < 0) return false;
    }
    if (avg) {
      g->include_pad = a[4 * d] != 0;
      g->divisor_override = a[4 * d + 1];
    }
  }
  for (int j = 0; j < 3; ++j) {
    g->tap_first[j].resize(g->out[j]);
    g->tap_last[j].resize(g->out[j]);
    for (int64_t o = 0; o < g->out[j]; ++o) {
      int64_t start = o * g->stride[j] - g->pad[j], first = 0, last = g->k[j];
      while (first < last && start + first * g->dilation[j] < 0) ++first;
      while (last > first && start + (last - 1) * g->dilation[j] >= g->in[j]) --last;
      g->tap_first[j][o] = first;
      g->tap_last[j][o] = last;
    }
  }
  return true;
}

// The divisor of output (od, oh, ow): as the composite's avg_divisor.
double divisor(const Pool& g, const int64_t* o) {
  if (g.divisor_override > 0) return g.divisor_override;
  double c = 1;
  for (int j = 0; j < 3; ++j) {
    int64_t start = o[j] * g.stride[j], p = g.pad[j], s = g.in[j];
    int64_t lo = g.include_pad ? 0 : p, hi = g.include_pad ? s + 2 * p : s + p;
    c *= static_cast<double>(std::min(start + g.k[j], hi) - std::max(start, lo));
  }
  return c;
}

// Calls cell(q, x_offset) for every output q of the plane and every tap of its window inside
// x, in row-major tap order, and done(q) after each output's taps.
template <typename Cell, typename Done>
void for_each_window(const Pool& g, Cell cell, Done done) {
  int64_t q = 0;
  for (int64_t od = 0; od < g.out[0]; ++od)
    for (int64_t oh = 0; oh < g.out[1]; ++oh)
      for (int64_t ow = 0; ow < g.out[2]; ++ow, ++q) {
        for (int64_t kd = g.tap_first[0][od]; kd < g.tap_last[0][od]; ++kd) {
          int64_t id = od * g.stride[0] - g.pad[0] + kd * g.dilation[0];
          for (int64_t kh = g.tap_first[1][oh]; kh < g.tap_last[1][oh]; ++kh) {
            int64_t ih = oh * g.stride[1] - g.pad[1] + kh * g.dilation[1];
            int64_t row = (id * g.in[1] + ih) * g.in[2];
            int64_t iw0 = ow * g.stride[2] - g.pad[2];
            for (int64_t kw = g.tap_first[2][ow]; kw < g.tap_last[2][ow]; ++kw)
              cell(q, row + iw0 + kw * g.dilation[2]);
          }
        }
        done(q);
      }
}

// The flat position of output q's first tap (padding included), the composite's index when no
// cell inside x beats -inf.
int64_t first_tap(const Pool& g, int64_t q) {
  int64_t ow = q % g.out[2], oh = q / g.out[2] % g.out[1], od = q / (g.out[2] * g.out[1]);
  int64_t id = od * g.stride[0] - g.pad[0], ih = oh * g.stride[1] - g.pad[1];
  return (id * g.in[1] + ih) * g.in[2] + ow * g.stride[2] - g.pad[2];
}

template <typename T>
LATHE_CPU_CLONES void max_forward(const Pool& g, const T* x, T* y, int64_t* index) {
  const int64_t ip = g.in_plane(), op = g.out_plane();
#pragma omp parallel for schedule(static) if (g.planes * ip > 32768)
  for (int64_t p = 0; p < g.planes; ++p) {
    const T* xp = x + p * ip;
    T* yp = y + p * op;
    int64_t* ix = index + p * op;
    T best = -std::numeric_limits<T>::infinity();
    int64_t at = -1;
    bool nan = false;
    for_each_window(
        g,
        [&](int64_t, int64_t i) {
          T v = xp[i];
          if (nan) return;
          if (v > best || v != v) {
            best = v;
            at = i;
            nan = v != v;
          }
        },
        [&](int64_t q) {
          yp[q] = best;
          ix[q] = at >= 0 ? at : first_tap(g, q);
          best = -std::numeric_limits<T>::infinity();
          at = -1;
          nan = false;
        });
  }
}

template <typename T>
LATHE_CPU_CLONES void max_backward(const Pool& g, const T* gy, const int64_t* index, T* gx) {
  const int64_t ip = g.in_plane(), op = g.out_plane();
#pragma omp parallel for schedule(static) if (g.planes * ip > 32768)
  for (int64_t p = 0; p < g.planes; ++p) {
    T* xp = gx + p * ip;
    const T* yp = gy + p * op;
    const int64_t* ix = index + p * op;
    std::memset(xp, 0, sizeof(T) * ip);
    for (int64_t q = 0; q < op; ++q)
      if (ix[q] >= 0 && ix[q] < ip) xp[ix[q]] += yp[q];  // else a window of padding only
  }
}

template <typename T>
LATHE_CPU_CLONES void avg_forward(const Pool& g, const T* x, T* y) {
  const int64_t ip = g.in_plane(), op = g.out_plane();
  std::vector<T> scale(op);  // 1 / divisor, the same for every plane
  for (int64_t q = 0; q < op; ++q) {
    int64_t o[3] = {q / (g.out[2] * g.out[1]), q / g.out[2] % g.out[1], q % g.out[2]};
    scale[q] = static_cast<T>(1.0 / divisor(g, o));
  }
#pragma omp parallel for schedule(static) if (g.planes * ip > 32768)
  for (int64_t p = 0; p < g.planes; ++p) {
    const T* xp = x + p * ip;
    T* yp = y + p * op;
    T total = 0;
    for_each_window(
        g, [&](int64_t, int64_t i) { total += xp[i]; },
        [&](int64_t q) {
          yp[q] = total * scale[q];
          total = 0;
        });
  }
}

template <typename T>
LATHE_CPU_CLONES void avg_backward(const Pool& g, const T* gy, T* gx) {
  const int64_t ip = g.in_plane(), op = g.out_plane();
  std::vector<T> scale(op);
  for (int64_t q = 0; q < op; ++q) {
    int64_t o[3] = {q / (g.out[2] * g.out[1]), q / g.out[2] % g.out[1], q % g.out[2]};
    scale[q] = static_cast<T>(1.0 / divisor(g, o));
  }
#pragma omp parallel for schedule(static) if (g.planes * ip > 32768)
  for (int64_t p = 0; p < g.planes; ++p) {
    T* xp = gx + p * ip;
    const T* yp = gy + p * op;
    std::memset(xp, 0, sizeof(T) * ip);
    for_each_window(
        g, [&](int64_t q, int64_t i) { xp[i] += yp[q] * scale[q]; }, [](int64_t) {});
  }
}

template <typename T>
void run(lathe_fused_op op, const lathe_fused_call* call, const Pool& g) {
  const T* in = static_cast<const T*>(call->inputs[0].data);
  T* out = static_cast<T*>(call->outputs[0].data);
  if (op == LATHE_FUSED_MAX_POOL)
    max_forward(g, in, out, static_cast<int64_t*>(call->outputs[1].data));
  else if (op == LATHE_FUSED_MAX_POOL_BACKWARD)
    max_backward(g, in, static_cast<const int64_t*>(call->inputs[1].data), out);
  else if (op == LATHE_FUSED_AVG_POOL)
    avg_forward(g, in, out);
  else
    avg_backward(g, in, out);
}

}  // namespace

bool pool_supports(lathe_fused_op op, const lathe_fused_call* call) {
  Pool g;
  return pool_of(op, call, &g);
}

bool pool_run(lathe_fused_op op, const lathe_fused_call* call) {
  Pool g;
  if (!pool_of(op, call, &g)) return false;
  if (call->inputs[0].dtype == LATHE_F32)
    run<float>(op, call, g);
  else
    run<double>(op, call, g);
  return true;
}

}  // namespace lathe_cpu
