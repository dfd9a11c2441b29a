// L1Norm and NonScalingLayerNorm modules (ops: l1_norm, non_scaling_layernorm).
#include "core/grad_mode.h"
#include "models/norm/norm.h"
#include "ops/ops.h"

namespace lathe::nn {

L1Norm::L1Norm(int64_t features, const std::string& mode_, double eps_, double momentum_, double c_,
               DType dtype, Device device)
    : mode(mode_), eps(eps_), momentum(momentum_), c(c_) {
  LATHE_CHECK(mode == "batch" || mode == "layer",
              "[L1Norm] mode must be \"batch\" or \"layer\", got \"", mode, "\"");
  LATHE_CHECK(features > 0, "[L1Norm] features must be positive, got ", features);
  weight = add_parameter("weight", ones({features}, dtype, device));
  bias = add_parameter("bias", zeros({features}, dtype, device));
  if (mode == "batch") {
    running_mean = add_buffer("running_mean", zeros({features}, dtype, device));
    running_l1 = add_buffer("running_l1", ones({features}, dtype, device));
  }
}

Tensor L1Norm::forward(const Tensor& x) {
  if (mode == "layer") return l1_norm(x, weight, bias, {-1}, eps, c);
  LATHE_CHECK(x.dim() >= 2 && x.shape()[1] == weight.shape()[0], "[L1Norm] expected x [N, ",
              weight.shape()[0], ", *], got ", x.shape());
  Shape keep = Shape::filled(x.dim(), 1);
  keep[1] = x.shape()[1];
  Tensor w = reshape(weight, keep), b = reshape(bias, keep);  // [1, C, 1, ...]
  if (!is_training())
    return (x - reshape(running_mean, keep)) / (reshape(running_l1, keep) + eps) * w + b;
  Axes axes;
  for (int i = 0; i < x.dim(); ++i)
    if (i != 1) axes.push_back(i);
  Tensor y = l1_norm(x, w, b, axes, eps, c);
  NoGradGuard no_grad;
  Tensor mu = mean(x.detach(), axes, true);                   // [1, C, 1, ...]
  Tensor scale = c * mean(abs(x.detach() - mu), axes, true);  // [1, C, 1, ...]
  running_mean.copy_((1 - momentum) * running_mean + momentum * reshape(mu, weight.shape()));
  running_l1.copy_((1 - momentum) * running_l1 + momentum * reshape(scale, weight.shape()));
  return y;
}

NonScalingLayerNorm::NonScalingLayerNorm(int64_t features, double eps_, bool affine_beta,
                                         const std::string& variant_, DType dtype, Device device)
    : eps(eps_), variant(variant_) {
  LATHE_CHECK(features > 0, "[NonScalingLayerNorm] features must be positive, got ", features);
  LATHE_CHECK(variant == "standardize" || variant == "center",
              "[NonScalingLayerNorm] variant must be \"standardize\" or \"center\", got \"",
              variant, "\"");
  if (affine_beta) bias = add_parameter("bias", zeros({features}, dtype, device));
}

Tensor NonScalingLayerNorm::forward(const Tensor& x) {
  return non_scaling_layernorm(x, bias, variant, eps);
}

}  // namespace lathe::nn
