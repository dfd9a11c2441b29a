// interpolate, as torch.nn.functional.interpolate (PyTorch 1.13) on x [N, C, L] or [N, C, H, W]:
// output extent out = size, or floor(in * scale_factor); per spatial dim, with
// s = 1 / scale_factor when a scale factor is given, else in / out:
//   nearest:  y[dst] = x[min(floor(dst * s), in - 1)], computed in float as PyTorch does (so
//             the same rounding picks the same source), with its exact shortcuts for out = in
//             and out = 2 in (dst and dst / 2);
//   linear:   src = dst (in - 1) / (out - 1) under align_corners (0 when out = 1), else
//             max(0, (dst + 0.5) s - 0.5); i0 = floor(src), i1 = min(i0 + 1, in - 1),
//             y[dst] = (1 - f) x[i0] + f x[i1], f = src - i0.
// Bilinear is linear along H then along W (separable; the same weights PyTorch multiplies).
// Composites: the source indices and weights are computed on the host, then index_select and
// a weighted sum per dim, so autograd derives the backward (a scatter-add of weighted
// gradients) and its double backward.
#include <cmath>

#include "ops/composite.h"
#include "ops/nn/resample.h"
#include "ops/nn/window.h"

namespace lathe {

namespace {

int64_t nearest_source(int64_t dst, int64_t in, int64_t out, double scale_factor) {
  if (out == in) return dst;
  if (out == 2 * in) return dst >> 1;
  float s = scale_factor > 0 ? static_cast<float>(1.0 / scale_factor)
                             : static_cast<float>(in) / static_cast<float>(out);
  return std::min(static_cast<int64_t>(std::floor(static_cast<float>(dst) * s)), in - 1);
}

// x resampled along `axis` from its extent to `out`.
Tensor resample_axis(const Tensor& x, int axis, int64_t out, const InterpolateOptions& o) {
  int64_t in = x.shape()[axis];
  std::vector<int64_t> i0(out), i1(out);
  std::vector<double> frac(out);
  for (int64_t dst = 0; dst < out; ++dst) {
    if (o.mode == "nearest") {
      i0[dst] = nearest_source(dst, in, out, o.scale_factor);
      continue;
    }
    double src;
    if (o.align_corners) {
      src = out > 1 ? static_cast<double>(dst) * static_cast<double>(in - 1) / (out - 1) : 0.0;
    } else {
      double s = o.scale_factor > 0 ? 1.0 / o.scale_factor
                                    : static_cast<double>(in) / static_cast<double>(out);
      src = std::max(0.0, (static_cast<double>(dst) + 0.5) * s - 0.5);
    }
    i0[dst] = std::min(static_cast<int64_t>(std::floor(src)), in - 1);
    i1[dst] = std::min(i0[dst] + 1, in - 1);
    frac[dst] = src - static_cast<double>(i0[dst]);
  }
  Tensor lo = index_select(x, from_vector(i0, {out}, x.device()), axis);
  if (o.mode == "nearest") return lo;
  Tensor hi = index_select(x, from_vector(i1, {out}, x.device()), axis);
  Shape wshape(std::vector<int64_t>(x.dim(), 1));
  wshape[axis] = out;
  Tensor f = from_vector(frac, wshape, x.dtype(), x.device());  // [1, .., out, .., 1]
  return lo + (hi - lo) * f;
}

}  // namespace

Tensor interpolate(const Tensor& x, const InterpolateOptions& o) {
  const char* op = "interpolate";
  check_floating(op, "x", x);
  LATHE_CHECK(x.dim() == 3 || x.dim() == 4, "[", op,
              "] x must be [N, C, L] or [N, C, H, W], got ", x.shape());
  int d = x.dim() - 2;
  for (int i = 0; i < d; ++i)
    LATHE_CHECK(x.shape()[2 + i] > 0, "[", op, "] x ", x.shape(), " has an empty spatial dim");
  const char* linear = d == 1 ? "linear" : "bilinear";
  LATHE_CHECK(o.mode == "nearest" || o.mode == linear, "[", op, "] mode for a ", x.dim(),
              "-D x must be 'nearest' or '", linear, "', got '", o.mode, "'");
  LATHE_CHECK(!(o.align_corners && o.mode == "nearest"), "[", op,
              "] align_corners applies to the linear modes only, not 'nearest'");
  LATHE_CHECK(o.size.empty() == (o.scale_factor > 0), "[", op,
              "] give exactly one of size and scale_factor > 0 (size ", shape_text(o.size),
              ", scale_factor ", o.scale_factor, ")");
  std::vector<int64_t> out;
  if (!o.size.empty()) {
    out = per_dim(op, "size", o.size, d, 1);
  } else {
    for (int i = 0; i < d; ++i) {
      int64_t e = static_cast<int64_t>(std::floor(static_cast<double>(x.shape()[2 + i]) *
                                                  o.scale_factor));
      LATHE_CHECK(e >= 1, "[", op, "] scale_factor ", o.scale_factor, " maps x ", x.shape(),
                  " to an empty output");
      out.push_back(e);
    }
  }
  Tensor y = x;
  for (int i = 0; i < d; ++i) y = resample_axis(y, 2 + i, out[i], o);
  return y;
}

LATHE_REGISTER_OPS(interpolate) {
  using O = InterpolateOptions;
  registry.add(OpDef("interpolate", "nn")
                   .summary("resizes x [N, C, L] or [N, C, H, W]: nearest, linear or bilinear")
                   .input("x")
                   .options<O>()
                   .attr("size", &O::size, "output extent: one value or one per spatial dim")
                   .attr("scale_factor", &O::scale_factor,
                         "> 0 when size is empty: out = floor(in * scale_factor), every dim")
                   .attr("mode", &O::mode, "nearest (PyTorch 1.13's rule), linear or bilinear")
                   .attr("align_corners", &O::align_corners,
                         "linear modes: map the corner samples onto each other")
                   .output("y")
                   .run(interpolate));
}

}  // namespace lathe
