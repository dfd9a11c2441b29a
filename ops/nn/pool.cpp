// max_pool1d/2d and avg_pool1d/2d, as torch.nn.functional defines them. x [N, C, *S] (or
// [C, *S]); out extent per dim o = floor((S + 2 pad - dilation (K - 1) - 1) / stride) + 1, with
// ceil instead of floor under ceil_mode, less one when that last window would start in the hi
// padding (so every window starts inside the input or the lo padding).
//   max:  y = max over the window of x padded by -inf; indices = the flat position in x's
//         spatial dims (h W + w) of the first maximum in row-major window order, which alone
//         takes the gradient (PyTorch's rule; max() would split it between ties).
//   avg:  y = window sum of x padded by zeros / divisor, the divisor being divisor_override if
//         > 0, else the window's cells inside x plus its padding (count_include_pad; the
//         ceil_mode overhang never counts) or inside x only.
// Composites over the windows of ops/nn/window.h: max = the sum of the stacked windows masked
// to their first argmax (the mask routes the gradient), avg = a sum of the windows.
//
// Each is also a fused kernel a backend may offer (backends/fused_ops.def), with its gradient
// a second kernel; d spatial dims, attrs {kernel[d], stride[d], dilation[d], padding[d]} (the
// symmetric padding; the ceil_mode overhang follows from the output shape), avg adding
// {count_include_pad (0 | 1), divisor_override (0: none)}; every view contiguous:
//   "max_pool":          in x [N, C, *S] -> y [N, C, *out], indices i64 [N, C, *out]
//   "max_pool_backward": in gy [N, C, *out], indices [N, C, *out] -> gx [N, C, *S]
//                        (gx[n, c, indices] += gy; no attrs)
//   "avg_pool":          in x [N, C, *S] -> y [N, C, *out]
//   "avg_pool_backward": in gy [N, C, *out] -> gx [N, C, *S] (the adjoint of avg_pool)
// When fused, max_pool's rule is max_pool_backward, whose own rule gathers the gradient at the
// indices; avg_pool and avg_pool_backward are each other's adjoint, so each one's rule is the
// other. Every order of gradient stays on the kernels. Unfused, autograd differentiates the
// composites (the backward kernels' composites: a scatter_add at the indices, and the sum over
// taps of the gradient spread back to where each tap read).
#include <algorithm>
#include <cmath>
#include <limits>

#include "ops/composite.h"
#include "ops/nn/conv.h"
#include "ops/nn/window.h"

namespace lathe {

namespace {

struct PoolGeometry {
  std::vector<int64_t> kernel, stride, padding, dilation, out;
  std::vector<int64_t> fpad;  // F.pad order: (lo, hi + overhang), last dim first
};

PoolGeometry pool_geometry(const char* op, const Tensor& x, int d,
                           const std::vector<int64_t>& kernel_size,
                           const std::vector<int64_t>& stride,
                           const std::vector<int64_t>& padding,
                           const std::vector<int64_t>& dilation, bool ceil_mode) {
  PoolGeometry g;
  g.kernel = per_dim(op, "kernel_size", kernel_size, d, 1);
  g.stride = stride.empty() ? g.kernel : per_dim(op, "stride", stride, d, 1);
  g.padding = per_dim(op, "padding", padding, d, 0);
  g.dilation = per_dim(op, "dilation", dilation, d, 1);
  g.out.resize(d);
  std::vector<int64_t> hi(d);
  for (int i = 0; i < d; ++i) {
    int64_t s = x.shape()[2 + i], k = g.kernel[i], p = g.padding[i], st = g.stride[i];
    LATHE_CHECK(p <= k / 2, "[", op, "] padding ", shape_text(padding),
                " must be at most half the kernel size ", shape_text(g.kernel));
    int64_t span = g.dilation[i] * (k - 1) + 1;
    LATHE_CHECK(s + 2 * p >= span, "[", op, "] kernel ", shape_text(g.kernel),
                " (dilated extent ", span, ") is larger than the padded input (input ",
                x.shape(), ", padding ", shape_text(padding), ")");
    int64_t num = s + 2 * p - span;
    int64_t o = (ceil_mode ? (num + st - 1) / st : num / st) + 1;
    if (ceil_mode && (o - 1) * st >= s + p) --o;
    g.out[i] = o;
    hi[i] = p + std::max<int64_t>(0, (o - 1) * st + span - (s + 2 * p));
  }
  for (int i = d - 1; i >= 0; --i) {
    g.fpad.push_back(g.padding[i]);
    g.fpad.push_back(hi[i]);
  }
  return g;
}

int64_t product(const std::vector<int64_t>& v) {
  int64_t p = 1;
  for (int64_t e : v) p *= e;
  return p;
}

// The position of output `flat` (row-major over out) along each dim.
std::vector<int64_t> unravel(int64_t flat, const std::vector<int64_t>& extent) {
  std::vector<int64_t> idx(extent.size());
  for (int i = static_cast<int>(extent.size()) - 1; i >= 0; --i) {
    idx[i] = flat % extent[i];
    flat /= extent[i];
  }
  return idx;
}

// The kernels' attrs (see the top of the file).
std::vector<double> pool_attrs(const PoolGeometry& g) {
  std::vector<double> a;
  for (const auto* v : {&g.kernel, &g.stride, &g.dilation, &g.padding})
    for (int64_t e : *v) a.push_back(static_cast<double>(e));
  return a;
}

Shape pooled_shape(const Tensor& x, const PoolGeometry& g) {
  Shape s{x.shape()[0], x.shape()[1]};
  for (int64_t e : g.out) s.push_back(e);
  return s;
}

std::vector<Tensor> max_pool_composite(const Tensor& x, const PoolGeometry& g) {
  int d = static_cast<int>(g.kernel.size());
  Tensor xp = pad(x, g.fpad, -std::numeric_limits<double>::infinity());
  // Taps last, so argmax and the sum run over the contiguous innermost axis.
  Tensor win = stack(windows(xp, g.kernel, g.stride, g.dilation, g.out), -1);  // [N, C, *out, K]
  Tensor arg = argmax(win, -1, true);                                          // [N, C, *out, 1]
  int64_t taps = product(g.kernel), positions = product(g.out);
  Tensor first = eq(arange(taps, DType::i64, x.device()), arg);  // bool [N, C, *out, K]
  Tensor y = sum(where(first, win, 0.0), {-1});                  // [N, C, *out]
  // The flat input position of every (output, tap) pair, computed once on the host.
  std::vector<int64_t> in_extent(x.shape().begin() + 2, x.shape().end());
  std::vector<int64_t> table(positions * taps);
  for (int64_t q = 0; q < positions; ++q) {
    std::vector<int64_t> at = unravel(q, g.out);
    for (int64_t t = 0; t < taps; ++t) {
      std::vector<int64_t> k = unravel(t, g.kernel);
      int64_t flat = 0;
      for (int i = 0; i < d; ++i)
        flat = flat * in_extent[i] + at[i] * g.stride[i] + k[i] * g.dilation[i] - g.padding[i];
      table[q * taps + t] = flat;
    }
  }
  Shape table_shape{1, 1};
  for (int64_t e : g.out) table_shape.push_back(e);
  table_shape.push_back(taps);
  Tensor where_from = expand(from_vector(table, table_shape, x.device()), win.shape());
  Tensor indices = squeeze(gather(where_from, arg, -1), {-1});  // i64 [N, C, *out]
  return {y, indices};
}

// gx [N, C, *S] (x_shape) = zeros with gx[n, c, indices] += gy, gy and indices [N, C, *out].
Tensor max_pool_backward(const Tensor& gy, const Tensor& indices, const Shape& x_shape) {
  int64_t n = x_shape[0], c = x_shape[1];
  int64_t plane = numel(x_shape) / (n * c), positions = gy.numel() / (n * c);
  FusedKernel k{"max_pool_backward", {gy.contiguous(), indices.contiguous()},
                {{x_shape, gy.dtype()}}, {}};
  auto composite = [=](const std::vector<Tensor>& in) {
    Tensor gx = scatter_add(zeros({n, c, plane}, in[0].dtype(), in[0].device()),
                            reshape(in[1], {n, c, positions}), reshape(in[0], {n, c, positions}),
                            2);  // [N, C, S]
    return std::vector<Tensor>{reshape(gx, x_shape)};
  };
  // Linear in gy: its adjoint reads the gradient back at the indices.
  auto rule = [=](const std::vector<Tensor>& ggx, const std::vector<Tensor>& in,
                  const std::vector<Tensor>&) {
    Tensor flat = reshape(ggx[0], {n, c, plane});
    Tensor ggy = gather(flat, reshape(in[1], {n, c, positions}), 2);  // [N, C, Q]
    return std::vector<Tensor>{reshape(ggy, in[0].shape()), Tensor()};
  };
  return fused_or_composite(k, true, composite, rule)[0];
}

MaxPoolResult max_pool_nd(const char* op, int d, const Tensor& input, const MaxPoolOptions& o) {
  Tensor x = batched_input(op, input, d);  // [N, C, *S]
  PoolGeometry g = pool_geometry(op, x, d, o.kernel_size, o.stride, o.padding, o.dilation,
                                 o.ceil_mode);
  Shape y_shape = pooled_shape(x, g), x_shape = x.shape();
  FusedKernel k{"max_pool", {x.contiguous()}, {{y_shape, x.dtype()}, {y_shape, DType::i64}},
                pool_attrs(g)};
  k.save_inputs = false;
  auto composite = [g](const std::vector<Tensor>& in) { return max_pool_composite(in[0], g); };
  auto rule = [x_shape](const std::vector<Tensor>& gy, const std::vector<Tensor>&,
                        const std::vector<Tensor>& out) {
    return std::vector<Tensor>{max_pool_backward(gy[0], out[1], x_shape)};
  };
  std::vector<Tensor> r = fused_or_composite(k, true, composite, rule);
  if (input.dim() == d + 1) return {squeeze(r[0], {0}), squeeze(r[1], {0})};
  return {r[0], r[1]};
}

// What each output's window sum is divided by: [1, 1, *out] (or a scalar with the override).
Tensor avg_divisor(const Shape& x_shape, const PoolGeometry& g, const AvgPoolOptions& o,
                   DType dtype, Device device) {
  if (o.divisor_override > 0) return full({}, static_cast<double>(o.divisor_override), dtype,
                                          device);
  // Each output's count of cells inside [lo, hi) per dim: x plus its padding, or x only.
  int d = static_cast<int>(g.kernel.size());
  int64_t positions = product(g.out);
  std::vector<double> count(positions);
  for (int64_t q = 0; q < positions; ++q) {
    std::vector<int64_t> at = unravel(q, g.out);
    double c = 1;
    for (int i = 0; i < d; ++i) {
      int64_t s = x_shape[2 + i], p = g.padding[i];
      int64_t lo = o.count_include_pad ? 0 : p, hi = o.count_include_pad ? s + 2 * p : s + p;
      int64_t start = at[i] * g.stride[i];
      c *= static_cast<double>(std::min(start + g.kernel[i], hi) - std::max(start, lo));
    }
    count[q] = c;
  }
  Shape count_shape{1, 1};
  for (int64_t e : g.out) count_shape.push_back(e);
  return from_vector(count, count_shape, dtype, device);
}

std::vector<double> avg_attrs(const PoolGeometry& g, const AvgPoolOptions& o) {
  std::vector<double> a = pool_attrs(g);
  a.push_back(o.count_include_pad ? 1.0 : 0.0);
  a.push_back(static_cast<double>(o.divisor_override));
  return a;
}

Tensor avg_pool_backward(const Tensor& gy, const PoolGeometry& g, const AvgPoolOptions& o,
                         const Shape& x_shape);

// y [N, C, *out] = the window means of x [N, C, *S].
Tensor avg_pool_forward(const Tensor& x, const PoolGeometry& g, const AvgPoolOptions& o) {
  Shape x_shape = x.shape();
  FusedKernel k{"avg_pool", {x.contiguous()}, {{pooled_shape(x, g), x.dtype()}}, avg_attrs(g, o)};
  k.save_inputs = false;
  auto composite = [g, o](const std::vector<Tensor>& in) {
    Tensor xp = pad(in[0], g.fpad);
    Tensor total;  // [N, C, *out]
    for (const Tensor& w : windows(xp, g.kernel, g.stride, g.dilation, g.out))
      total = total.defined() ? total + w : w;
    return std::vector<Tensor>{
        total / avg_divisor(in[0].shape(), g, o, in[0].dtype(), in[0].device())};
  };
  auto rule = [g, o, x_shape](const std::vector<Tensor>& gy, const std::vector<Tensor>&,
                              const std::vector<Tensor>&) {
    return std::vector<Tensor>{avg_pool_backward(gy[0], g, o, x_shape)};
  };
  return fused_or_composite(k, true, composite, rule)[0];
}

// gx [N, C, *S] = the adjoint of avg_pool_forward applied to gy [N, C, *out].
Tensor avg_pool_backward(const Tensor& gy, const PoolGeometry& g, const AvgPoolOptions& o,
                         const Shape& x_shape) {
  FusedKernel k{"avg_pool_backward", {gy.contiguous()}, {{x_shape, gy.dtype()}}, avg_attrs(g, o)};
  k.save_inputs = false;
  auto composite = [g, o, x_shape](const std::vector<Tensor>& in) {
    int d = static_cast<int>(g.kernel.size());
    Tensor share = in[0] / avg_divisor(x_shape, g, o, in[0].dtype(), in[0].device());
    Tensor gx;  // [N, C, *S]
    for (int64_t t = 0; t < product(g.kernel); ++t) {
      // Tap t of output o read x at o stride + k dilation - padding along each dim: put each
      // output's share there (spread by the stride, shifted), cropping what falls outside x.
      std::vector<int64_t> k = unravel(t, g.kernel);
      Tensor z = share;
      bool inside = true;
      for (int i = 0; i < d; ++i) {
        int64_t s = x_shape[2 + i], off = k[i] * g.dilation[i] - g.padding[i];
        int64_t span = (g.out[i] - 1) * g.stride[i] + 1;
        inside = off < s && off + span - 1 >= 0;  // else the tap reads only padding
        if (!inside) break;
        z = spread(z, 2 + i, g.stride[i]);
        z = pad_or_crop(z, 2 + i, off, s - span - off);
      }
      if (inside) gx = gx.defined() ? gx + z : z;
    }
    return std::vector<Tensor>{gx.defined() ? gx : zeros(x_shape, in[0].dtype(), in[0].device())};
  };
  auto rule = [g, o](const std::vector<Tensor>& ggx, const std::vector<Tensor>&,
                     const std::vector<Tensor>&) {
    return std::vector<Tensor>{avg_pool_forward(ggx[0], g, o)};
  };
  return fused_or_composite(k, true, composite, rule)[0];
}

Tensor avg_pool_nd(const char* op, int d, const Tensor& input, const AvgPoolOptions& o) {
  Tensor x = batched_input(op, input, d);  // [N, C, *S]
  std::vector<int64_t> unit{1};
  PoolGeometry g = pool_geometry(op, x, d, o.kernel_size, o.stride, o.padding, unit,
                                 o.ceil_mode);
  LATHE_CHECK(o.divisor_override >= 0, "[", op, "] divisor_override must be >= 0 (0: none), got ",
              o.divisor_override);
  Tensor y = avg_pool_forward(x, g, o);
  return input.dim() == d + 1 ? squeeze(y, {0}) : y;
}

}  // namespace

MaxPoolResult max_pool1d(const Tensor& x, const MaxPoolOptions& o) {
  return max_pool_nd("max_pool1d", 1, x, o);
}
MaxPoolResult max_pool2d(const Tensor& x, const MaxPoolOptions& o) {
  return max_pool_nd("max_pool2d", 2, x, o);
}
Tensor avg_pool1d(const Tensor& x, const AvgPoolOptions& o) {
  return avg_pool_nd("avg_pool1d", 1, x, o);
}
Tensor avg_pool2d(const Tensor& x, const AvgPoolOptions& o) {
  return avg_pool_nd("avg_pool2d", 2, x, o);
}

namespace {
OpDef max_pool_def(const char* name, const char* summary,
                   MaxPoolResult (*fn)(const Tensor&, const MaxPoolOptions&)) {
  using O = MaxPoolOptions;
  return OpDef(name, "nn")
      .summary(summary)
      .input("x")
      .options<O>()
      .attr("kernel_size", &O::kernel_size, "window extent: one value or one per spatial dim")
      .attr("stride", &O::stride, "default (empty): kernel_size")
      .attr("padding", &O::padding, "-inf added on both sides, at most half the kernel")
      .attr("dilation", &O::dilation, "spacing of the window taps, >= 1")
      .attr("ceil_mode", &O::ceil_mode, "round the output extent up (windows start inside)")
      .output("y")
      .output("indices", Kind::integer)
      .run([fn](const OpCall& c) {
        MaxPoolResult r = fn(c.in("x"), c.options<O>());
        return Outputs{r.y, r.indices};
      });
}

OpDef avg_pool_def(const char* name, const char* summary,
                   Tensor (*fn)(const Tensor&, const AvgPoolOptions&)) {
  using O = AvgPoolOptions;
  return OpDef(name, "nn")
      .summary(summary)
      .input("x")
      .options<O>()
      .attr("kernel_size", &O::kernel_size, "window extent: one value or one per spatial dim")
      .attr("stride", &O::stride, "default (empty): kernel_size")
      .attr("padding", &O::padding, "zeros added on both sides, at most half the kernel")
      .attr("ceil_mode", &O::ceil_mode, "round the output extent up (windows start inside)")
      .attr("count_include_pad", &O::count_include_pad,
            "the divisor counts the padding cells of a window")
      .attr("divisor_override", &O::divisor_override, "> 0: divide every window sum by it")
      .output("y")
      .run(fn);
}
}  // namespace

LATHE_REGISTER_OPS(pool) {
  registry.add(max_pool_def("max_pool1d", "max over sliding windows of x [N, C, L], with indices",
                            max_pool1d));
  registry.add(max_pool_def("max_pool2d",
                            "max over sliding windows of x [N, C, H, W], with indices",
                            max_pool2d));
  registry.add(avg_pool_def("avg_pool1d", "mean over sliding windows of x [N, C, L]",
                            avg_pool1d));
  registry.add(avg_pool_def("avg_pool2d", "mean over sliding windows of x [N, C, H, W]",
                            avg_pool2d));
}

}  // namespace lathe
