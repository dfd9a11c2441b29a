// layer_norm: over the trailing dims named by normalized_shape (default: the last dim),
//   mu = mean(x), var = mean((x - mu)^2) (biased), y = (x - mu) / sqrt(var + eps) * gamma + beta.
// Paper: "Layer Normalization" (Ba, Kiros, Hinton, 2016, arXiv:1607.06450). The paper writes no
// eps; like every implementation we put it inside the sqrt. Defaults: eps = 1e-5; gamma and beta
// are optional (elementwise_affine off when absent), of shape normalized_shape.
// Composite: autograd gives dx = r (g - mean(g) - x_hat mean(g x_hat)), g = gamma dy,
// r = (var + eps)^(-1/2), dgamma = sum dy x_hat, dbeta = sum dy.
// Statistics take two passes (the mean, then the mean squared deviation), so a large common
// offset does not cancel catastrophically in f32; f16/bf16 inputs are normalized in f32.
#include "ops/norm/common.h"

namespace lathe {

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
  norms::check_optional_shape("layer_norm", "weight", weight, dims);
  norms::check_optional_shape("layer_norm", "bias", bias, dims);
  LATHE_CHECK(eps >= 0, "[layer_norm] eps must be >= 0, got ", eps);

  Axes axes;
  for (int i = x.dim() - k; i < x.dim(); ++i) axes.push_back(i);
  DType sd = norms::stat_dtype(x);
  Tensor xs = norms::as_dtype(x, sd);
  Tensor d = xs - mean(xs, axes, true);                 // [..., *dims]
  Tensor y = d * rsqrt(mean(d * d, axes, true) + eps);  // [..., *dims]
  if (weight.defined()) y = y * norms::as_dtype(weight, sd);
  if (bias.defined()) y = y + norms::as_dtype(bias, sd);
  return norms::as_dtype(y, x.dtype());
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
                   .attr("eps", 1e-5)
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{layer_norm(c.in("x"), c.in("weight"), c.in("bias"),
                                               Shape(c.ints("normalized_shape")), c.f("eps"))};
                   }));
}

}  // namespace lathe
