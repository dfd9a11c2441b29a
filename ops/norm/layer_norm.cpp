// layer_norm: over the trailing dims named by normalized_shape (default: the last dim),
//   mu = mean(x), var = mean((x - mu)^2) (biased), y = (x - mu) / sqrt(var + eps) * gamma + beta.
// Paper: "Layer Normalization" (Ba, Kiros, Hinton, 2016, arXiv:1607.06450). The paper writes no
// eps; like every implementation we put it inside the sqrt. Defaults: eps = 1e-5; gamma and beta
// are optional (elementwise_affine off when absent), of shape normalized_shape.
// Composite: autograd gives dx = r (g - mean(g) - x_hat mean(g x_hat)), g = gamma dy,
// r = (var + eps)^(-1/2), dgamma = sum dy x_hat, dbeta = sum dy.
// Statistics take two passes (the mean, then the mean squared deviation), so a large common
// offset does not cancel catastrophically in f32; f16/bf16 inputs are normalized in f32.
//
// layer_norm_backward(g, x, weight, mean, rstd): the gradients above, given the row statistics
// (mean and rstd = (var + eps)^(-1/2), [rows] where rows = numel / D); outputs dx, dweight =
// sum over rows of g x_hat, dbias = sum over rows of g (the last two whether or not there is a
// weight or a bias: the caller takes what it needs).
//
// Fused ops (optional, for f32/f64): "layer_norm": in x, [weight], [bias]; out y, mean [rows],
// rstd [rows]; attrs {eps, D, has_weight, has_bias}. "layer_norm_backward": in g, x, [weight],
// mean, rstd; out dx, dweight [D], dbias [D]; attrs {D, has_weight}. Inputs are contiguous.
// With them, layer_norm records layer_norm_backward as its rule (recomputing mean and rstd with
// their history when a differentiable gradient is asked for), and layer_norm_backward's own
// rule differentiates its composite.
#include "ops/norm/common.h"

namespace lathe {

namespace {
// [rows] statistics as a tensor that broadcasts against x's rows: [..., 1, ..., 1].
Tensor per_row(const Tensor& stat, const Tensor& x, int k) {
  Shape s = x.shape();
  for (int i = x.dim() - k; i < x.dim(); ++i) s[i] = 1;
  return reshape(stat, s);
}

Axes trailing_axes(const Tensor& x, int k) {
  Axes axes;
  for (int i = x.dim() - k; i < x.dim(); ++i) axes.push_back(i);
  return axes;
}

Axes leading_axes(const Tensor& x, int k) {
  Axes axes;
  for (int i = 0; i < x.dim() - k; ++i) axes.push_back(i);
  return axes;
}

std::vector<Tensor> backward_composite(const Tensor& g, const Tensor& x, const Tensor& weight,
                                       const Tensor& mean_, const Tensor& rstd, int k) {
  Axes axes = trailing_axes(x, k), lead = leading_axes(x, k);
  Tensor r = per_row(rstd, x, k);
  Tensor x_hat = (x - per_row(mean_, x, k)) * r;                             // [..., *dims]
  Tensor gw = weight.defined() ? g * weight : g;
  Tensor dx = r * (gw - mean(gw, axes, true) - x_hat * mean(gw * x_hat, axes, true));
  Tensor dweight = lead.empty() ? g * x_hat : sum(g * x_hat, lead);          // [*dims]
  Tensor dbias = lead.empty() ? g : sum(g, lead);                            // [*dims]
  return {dx, dweight, dbias};
}
}  // namespace

std::vector<Tensor> layer_norm_backward(const Tensor& g, const Tensor& x, const Tensor& weight,
                                        const Tensor& mean_, const Tensor& rstd,
                                        const Shape& normalized_shape) {
  const char* op = "layer_norm_backward";
  check_floating(op, x);
  Shape dims = normalized_shape.empty() ? Shape{x.shape().back()} : normalized_shape;
  int k = dims.size();
  LATHE_CHECK(g.shape() == x.shape(), "[", op, "] g ", g.shape(), " must match x ", x.shape());
  LATHE_CHECK(k <= x.dim(), "[", op, "] normalized_shape ", dims, " has more dims than x ",
              x.shape());
  int64_t d = numel(dims), rows = d ? x.numel() / d : 0;
  LATHE_CHECK(mean_.shape() == Shape{rows} && rstd.shape() == Shape{rows}, "[", op,
              "] mean ", mean_.shape(), " and rstd ", rstd.shape(), " must be [", rows, "]");
  check_optional_shape(op, "weight", weight, dims);
  bool fusable = (x.dtype() == DType::f32 || x.dtype() == DType::f64) &&
                 g.dtype() == x.dtype() && mean_.dtype() == x.dtype() && rstd.dtype() == x.dtype() &&
                 (!weight.defined() || weight.dtype() == x.dtype());
  FusedKernel kernel{op, {g, x, weight, mean_, rstd},
                     {{x.shape(), x.dtype()}, {dims, x.dtype()}, {dims, x.dtype()}},
                     {double(d), double(weight.defined())}};
  return fused_or_composite(kernel, fusable, [k](const std::vector<Tensor>& in) {
    return backward_composite(in[0], in[1], in[2], in[3], in[4], k);
  });
}

Tensor layer_norm(const Tensor& x, const Tensor& weight, const Tensor& bias,
                  const Shape& normalized_shape, double eps) {
  check_floating("layer_norm", x);
  LATHE_CHECK(x.dim() >= 1, "[layer_norm] expected x with at least one dim, got a 0-d tensor");
  Shape dims = normalized_shape.empty() ? Shape{x.shape().back()} : normalized_shape;
  int k = dims.size();
  bool trailing = k <= x.dim();
  for (int i = 0; trailing && i < k; ++i) trailing = x.shape()[x.dim() - k + i] == dims[i];
  LATHE_CHECK(trailing, "[layer_norm] normalized_shape ", dims,
              " must match the trailing dims of x ", x.shape());
  check_optional_shape("layer_norm", "weight", weight, dims);
  check_optional_shape("layer_norm", "bias", bias, dims);
  LATHE_CHECK(eps >= 0, "[layer_norm] eps must be >= 0, got ", eps);

  Axes axes = trailing_axes(x, k);
  int64_t d = numel(dims), rows = d ? x.numel() / d : 0;
  bool fusable = (x.dtype() == DType::f32 || x.dtype() == DType::f64) &&
                 (!weight.defined() || weight.dtype() == x.dtype()) &&
                 (!bias.defined() || bias.dtype() == x.dtype());
  FusedKernel kernel{"layer_norm", {x, weight, bias},
                     {{x.shape(), x.dtype()}, {{rows}, x.dtype()}, {{rows}, x.dtype()}},
                     {eps, double(d), double(weight.defined()), double(bias.defined())}, 1};
  auto composite = [axes, eps](const std::vector<Tensor>& in) {
    const Tensor &x = in[0], &weight = in[1], &bias = in[2];
    DType sd = norms::stat_dtype(x);
    Tensor xs = norms::as_dtype(x, sd);
    Tensor dev = xs - mean(xs, axes, true);                     // [..., *dims]
    Tensor y = dev * rsqrt(mean(dev * dev, axes, true) + eps);  // [..., *dims]
    if (weight.defined()) y = y * norms::as_dtype(weight, sd);
    if (bias.defined()) y = y + norms::as_dtype(bias, sd);
    return std::vector<Tensor>{norms::as_dtype(y, x.dtype())};
  };
  auto rule = [eps, dims, axes](const std::vector<Tensor>& g, const std::vector<Tensor>& in,
                                const std::vector<Tensor>& out) {
    Tensor x = in[0], mu = out[1], rstd = out[2];
    if (is_grad_enabled()) {  // differentiable gradient: statistics with history
      Tensor m = mean(x, axes, true), dev = x - m;
      mu = reshape(m, {-1});
      rstd = reshape(rsqrt(mean(dev * dev, axes, true) + eps), {-1});
    }
    return layer_norm_backward(g[0], x, in[1], mu, rstd, dims);
  };
  return fused_or_composite(kernel, fusable, composite, rule)[0];
}

LATHE_REGISTER_OPS(layer_norm) {
  registry.add(OpDef("layer_norm", "normalization")
                   .summary("(x - mean) / sqrt(var + eps) * weight + bias over the trailing dims")
                   .paper("Layer Normalization (Ba, Kiros, Hinton, 2016)")
                   .input("x")
                   .input("weight", Kind::floating, kOptional)
                   .input("bias", Kind::floating, kOptional)
                   .attr("normalized_shape", std::vector<int64_t>{},
                         "the trailing dims normalized over; [] = the last dim")
                   .attr("eps", 1e-5, "added to the variance")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{layer_norm(c.in("x"), c.in("weight"), c.in("bias"),
                                               Shape(c.ints("normalized_shape")), c.f("eps"))};
                   }));
  registry.add(OpDef("layer_norm_backward", "normalization")
                   .summary("layer_norm's gradients given the row mean and rstd: dx, dweight, dbias")
                   .input("g")
                   .input("x")
                   .input("weight", Kind::floating, kOptional)
                   .input("mean")
                   .input("rstd")
                   .attr("normalized_shape", std::vector<int64_t>{},
                         "the trailing dims normalized over; [] = the last dim")
                   .output("dx")
                   .output("dweight")
                   .output("dbias")
                   .run([](const OpCall& c) {
                     return layer_norm_backward(c.in("g"), c.in("x"), c.in("weight"), c.in("mean"),
                                                c.in("rstd"), Shape(c.ints("normalized_shape")));
                   }));
}

}  // namespace lathe
