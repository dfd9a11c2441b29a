// rms_norm: over the last dim, y = x / sqrt(mean(x^2) + eps) * gamma (gamma optional).
// Paper: "Pre-RMSNorm and Pre-CRMSNorm Transformers: Equivalent and Efficient Pre-LN Transformers"
// (Jiang et al., NeurIPS 2023); RMSNorm is Zhang & Sennrich, "Root Mean Square Layer
// Normalization" (2019). Code: ZixuanJiang/pre-rmsnorm-transformer, torch/customized_layer.py
// (rms_norm(x.float(), eps).type_as(x): f16/bf16 inputs are normalized in f32 here too).
// Defaults: eps = 1e-5 (the reference classes subclass nn.LayerNorm), no gamma.
// Identity: for x with mean 0 over the last dim, rms_norm(x) == layer_norm(x).
// Composite: autograd gives dx = r (g - x_hat mean(g x_hat)), r = (mean x^2 + eps)^(-1/2).
#include "ops/norm/common.h"

namespace lathe {

Tensor rms_norm(const Tensor& x, const Tensor& weight, double eps) {
  check_floating("rms_norm", x);
  LATHE_CHECK(x.dim() >= 1, "[rms_norm] expected x [..., D], got a 0-d tensor");
  norms::check_optional_shape("rms_norm", "weight", weight, {x.shape().back()});
  LATHE_CHECK(eps >= 0, "[rms_norm] eps must be >= 0, got ", eps);
  DType sd = norms::stat_dtype(x);
  Tensor xs = norms::as_dtype(x, sd);
  Tensor y = xs * rsqrt(mean(xs * xs, {-1}, true) + eps);  // [..., D]
  if (weight.defined()) y = y * norms::as_dtype(weight, sd);
  return norms::as_dtype(y, x.dtype());
}

LATHE_REGISTER_OPS(rms_norm) {
  registry.add(OpDef("rms_norm", "normalization")
                   .summary("x / sqrt(mean(x^2) + eps) * weight over the last dim")
                   .paper("Pre-RMSNorm and Pre-CRMSNorm Transformers: Equivalent and Efficient "
                          "Pre-LN Transformers (Jiang et al., 2023)")
                   .input("x")
                   .input("weight", Kind::floating, kOptional)
                   .attr("eps", 1e-5)
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{rms_norm(c.in("x"), c.in("weight"), c.f("eps"))};
                   }));
}

}  // namespace lathe
