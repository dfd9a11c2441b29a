// Depthwise convolutions (groups = C = O: one filter per channel) of the cpu backend, f32 and
// f64: conv_forward, conv_backward_data and conv_backward_weights (contracts in
// ops/nn/conv_grad.cpp) as direct loops. oneDNN 2.6 runs these too, but for the separable 1xK
// / Kx1 blurs of ssim_loss and ms_ssim_loss (C = 3, K = 11) it moves every tensor into and out
// of its blocked nChw16c layout (3 channels padded to 16, so its jit_dw kernel also does 16/3
// of the work): ONEDNN_VERBOSE showed the reorders taking about two thirds of ssim_loss's
// convolution time. A depthwise convolution is memory bound (2 K flops per element), so one
// pass over each plane with the taps as row-wise multiply-adds (vectorized along the last dim)
// is what it needs: ssim_loss fwd + bwd went from 2.5x libtorch's time to about 0.3x.
//
// Every kernel walks the same loop: for each (n, c) plane, each output row (all spatial dims
// but the last), each tap of the leading dims whose input row lies inside x, and each tap along
// the last dim, the output positions ow whose input position ow stride + k dilation - lo lies
// inside x (padding is implicit zeros):
//   forward:  y[ow] += w[k] x[iw]      backward data: gx[iw] += w[k] gy[ow]
//   backward weights: gw[k] += sum_ow x[iw] gy[ow]
// Planes are split across threads (weights: channels), so no two threads write one element.
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "backends/cpu/cpu.h"

namespace lathe_cpu {

namespace {

// Spatial dims padded in front to three (extent 1, kernel 1, no padding).
struct Depthwise {
  int64_t n = 0, c = 0;
  int64_t in[3], out[3], k[3], stride[3], dilation[3], lo[3];
};

bool contiguous(const lathe_view& v) {
  int64_t expect = 1;
  for (int i = v.ndim - 1; i >= 0; --i) {
    if (v.shape[i] != 1 && v.strides[i] != expect) return false;
    expect *= v.shape[i];
  }
  return true;
}

// The call as a depthwise convolution over contiguous views of one float dtype; false when it
// is not one (oneDNN then takes it).
bool depthwise_of(lathe_fused_op op, const lathe_fused_call* call, Depthwise* g) {
  if (call->n_inputs != 2 || call->n_outputs != 1) return false;
  const lathe_view *x, *w, *y;
  if (op == LATHE_FUSED_CONV_FORWARD) {
    x = &call->inputs[0], w = &call->inputs[1], y = &call->outputs[0];
  } else if (op == LATHE_FUSED_CONV_BACKWARD_DATA) {
    y = &call->inputs[0], w = &call->inputs[1], x = &call->outputs[0];
  } else {
    x = &call->inputs[0], y = &call->inputs[1], w = &call->outputs[0];
  }
  int nd = x->ndim, d = nd - 2;
  if (d < 1 || d > 3 || call->n_attrs != 1 + 4 * d) return false;
  if (w->ndim != nd || y->ndim != nd) return false;
  lathe_dtype t = x->dtype;
  if ((t != LATHE_F32 && t != LATHE_F64) || w->dtype != t || y->dtype != t) return false;
  if (!contiguous(*x) || !contiguous(*w) || !contiguous(*y)) return false;
  const double* a = call->attrs;
  g->n = x->shape[0];
  g->c = x->shape[1];
  if (static_cast<int64_t>(a[0]) != g->c || w->shape[0] != g->c || w->shape[1] != 1 ||
      y->shape[0] != g->n || y->shape[1] != g->c)
    return false;
  for (int i = 0; i < 3; ++i) {
    g->in[i] = g->out[i] = g->k[i] = g->stride[i] = g->dilation[i] = 1;
    g->lo[i] = 0;
  }
  for (int i = 0; i < d; ++i) {
    int j = 3 - d + i;
    auto attr = [&](int block) { return static_cast<int64_t>(a[1 + block * d + i]); };
    g->stride[j] = attr(0);
    g->dilation[j] = attr(1);
    g->lo[j] = attr(2);
    g->in[j] = x->shape[2 + i];
    g->out[j] = y->shape[2 + i];
    g->k[j] = w->shape[2 + i];
    int64_t span = g->dilation[j] * (g->k[j] - 1) + 1, hi = attr(3);
    if (g->stride[j] < 1 || g->dilation[j] < 1 || g->lo[j] < 0 || hi < 0) return false;
    if (g->out[j] != (g->in[j] + g->lo[j] + hi - span) / g->stride[j] + 1) return false;
  }
  return true;
}

// The first and one past the last ow in [0, out) whose ow s + off lies in [0, in).
void valid_range(int64_t out, int64_t in, int64_t s, int64_t off, int64_t* first,
                 int64_t* last) {
  int64_t f = off >= 0 ? 0 : (-off + s - 1) / s;
  int64_t l = in - 1 - off < 0 ? 0 : (in - 1 - off) / s + 1;
  *first = std::min(f, out);
  *last = std::max(*first, std::min(l, out));
}

// Calls row(plane, x_row, y_row, tap, first, last, offset) for every output row and tap of
// plane `p` (x_row, y_row: element offsets of the rows within their planes; offset: of the
// input position of ow = 0).
template <typename Row>
void for_each_tap(const Depthwise& g, Row row) {
  for (int64_t od = 0; od < g.out[0]; ++od)
    for (int64_t kd = 0; kd < g.k[0]; ++kd) {
      int64_t id = od * g.stride[0] + kd * g.dilation[0] - g.lo[0];
      if (id < 0 || id >= g.in[0]) continue;
      for (int64_t oh = 0; oh < g.out[1]; ++oh)
        for (int64_t kh = 0; kh < g.k[1]; ++kh) {
          int64_t ih = oh * g.stride[1] + kh * g.dilation[1] - g.lo[1];
          if (ih < 0 || ih >= g.in[1]) continue;
          int64_t x_row = (id * g.in[1] + ih) * g.in[2];
          int64_t y_row = (od * g.out[1] + oh) * g.out[2];
          for (int64_t kw = 0; kw < g.k[2]; ++kw) {
            int64_t off = kw * g.dilation[2] - g.lo[2], first, last;
            valid_range(g.out[2], g.in[2], g.stride[2], off, &first, &last);
            if (first < last) row(x_row, y_row, (kd * g.k[1] + kh) * g.k[2] + kw, first, last, off);
          }
        }
    }
}

template <typename T>
LATHE_CPU_CLONES void forward(const Depthwise& g, const T* x, const T* w, T* y) {
  int64_t plane_in = g.in[0] * g.in[1] * g.in[2], plane_out = g.out[0] * g.out[1] * g.out[2];
  int64_t taps = g.k[0] * g.k[1] * g.k[2], s = g.stride[2];
#pragma omp parallel for schedule(static) if (g.n * g.c * plane_out > 32768)
  for (int64_t p = 0; p < g.n * g.c; ++p) {
    const T* xp = x + p * plane_in;
    const T* wp = w + (p % g.c) * taps;
    T* yp = y + p * plane_out;
    std::memset(yp, 0, sizeof(T) * plane_out);
    for_each_tap(g, [&](int64_t xr, int64_t yr, int64_t tap, int64_t f, int64_t l, int64_t off) {
      const T* xs = xp + xr + off;
      T* ys = yp + yr;
      T wv = wp[tap];
      if (s == 1) {
        for (int64_t ow = f; ow < l; ++ow) ys[ow] += wv * xs[ow];
      } else {
        for (int64_t ow = f; ow < l; ++ow) ys[ow] += wv * xs[ow * s];
      }
    });
  }
}

template <typename T>
LATHE_CPU_CLONES void backward_data(const Depthwise& g, const T* gy, const T* w, T* gx) {
  int64_t plane_in = g.in[0] * g.in[1] * g.in[2], plane_out = g.out[0] * g.out[1] * g.out[2];
  int64_t taps = g.k[0] * g.k[1] * g.k[2], s = g.stride[2];
#pragma omp parallel for schedule(static) if (g.n * g.c * plane_in > 32768)
  for (int64_t p = 0; p < g.n * g.c; ++p) {
    T* xp = gx + p * plane_in;
    const T* wp = w + (p % g.c) * taps;
    const T* yp = gy + p * plane_out;
    std::memset(xp, 0, sizeof(T) * plane_in);
    for_each_tap(g, [&](int64_t xr, int64_t yr, int64_t tap, int64_t f, int64_t l, int64_t off) {
      T* xs = xp + xr + off;
      const T* ys = yp + yr;
      T wv = wp[tap];
      if (s == 1) {
        for (int64_t ow = f; ow < l; ++ow) xs[ow] += wv * ys[ow];
      } else {
        for (int64_t ow = f; ow < l; ++ow) xs[ow * s] += wv * ys[ow];
      }
    });
  }
}

template <typename T>
LATHE_CPU_CLONES void backward_weights(const Depthwise& g, const T* x, const T* gy, T* gw) {
  int64_t plane_in = g.in[0] * g.in[1] * g.in[2], plane_out = g.out[0] * g.out[1] * g.out[2];
  int64_t taps = g.k[0] * g.k[1] * g.k[2], s = g.stride[2];
#pragma omp parallel for schedule(static) if (g.n * g.c * plane_out > 32768)
  for (int64_t c = 0; c < g.c; ++c) {
    std::vector<double> acc(taps, 0.0);  // a plane's sums in T, the planes' in double
    for (int64_t n = 0; n < g.n; ++n) {
      const T* xp = x + (n * g.c + c) * plane_in;
      const T* yp = gy + (n * g.c + c) * plane_out;
      std::vector<T> part(taps, T(0));
      for_each_tap(g, [&](int64_t xr, int64_t yr, int64_t tap, int64_t f, int64_t l,
                          int64_t off) {
        const T* xs = xp + xr + off;
        const T* ys = yp + yr;
        T sum = 0;
        for (int64_t ow = f; ow < l; ++ow) sum += xs[ow * s] * ys[ow];
        part[tap] += sum;
      });
      for (int64_t t = 0; t < taps; ++t) acc[t] += part[t];
    }
    for (int64_t t = 0; t < taps; ++t) gw[c * taps + t] = static_cast<T>(acc[t]);
  }
}

template <typename T>
void run(lathe_fused_op op, const lathe_fused_call* call, const Depthwise& g) {
  const T* a = static_cast<const T*>(call->inputs[0].data);
  const T* b = static_cast<const T*>(call->inputs[1].data);
  T* out = static_cast<T*>(call->outputs[0].data);
  if (op == LATHE_FUSED_CONV_FORWARD)
    forward(g, a, b, out);
  else if (op == LATHE_FUSED_CONV_BACKWARD_DATA)
    backward_data(g, a, b, out);
  else
    backward_weights(g, a, b, out);
}

}  // namespace

bool depthwise_run(lathe_fused_op op, const lathe_fused_call* call) {
  Depthwise g;
  if (!depthwise_of(op, call, &g)) return false;
  if (call->inputs[0].dtype == LATHE_F32)
    run<float>(op, call, g);
  else
    run<double>(op, call, g);
  return true;
}

bool depthwise_supports(lathe_fused_op op, const lathe_fused_call* call) {
  Depthwise g;
  return depthwise_of(op, call, &g);
}

}  // namespace lathe_cpu
