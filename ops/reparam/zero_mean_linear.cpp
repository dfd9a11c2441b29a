// zero_mean_linear: a linear layer whose every output vector has zero mean
//   y = x (W - mean_rows(W))^T + (b - mean(b))          mean_rows over the out axis (dim 0)
// x [..., in], W [out, in], b [out] -> [..., out]. With out = 1 the weight and the output are 0.
// Paper: "Pre-RMSNorm and Pre-CRMSNorm Transformers: Equivalent and Efficient Pre-LN
// Transformers" (Jiang et al., NeurIPS 2023). Official code: ZixuanJiang/pre-rmsnorm-transformer
// torch/customized_layer.py (LinearZeroMeanOutput: F.linear(x, W - W.mean(0), b - b.mean())),
// reparameterized on every forward, as here. A zero-mean residual stream makes LayerNorm equal
// to RMSNorm. Gradients (autograd): dW is the plain gradient centered over the out axis, db the
// plain one minus its mean. Composite.
#include "ops/composite.h"
#include "ops/reparam/reparam.h"

namespace lathe {

Tensor zero_mean_linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  const char* op = "zero_mean_linear";
  check_floating(op, "x", x);
  check_floating(op, "weight", weight);
  check_dim(op, "weight", weight, 2);
  LATHE_CHECK(x.dim() >= 1 && x.size(-1) == weight.size(1), "[", op,
              "] x's last dim must be weight's in ", weight.size(1), ", got ", x.shape());
  check_optional_shape(op, "bias", bias, {weight.size(0)});
  Tensor w = weight - mean(weight, {0}, true);              // [out, in]
  Tensor b = bias.defined() ? bias - mean(bias) : Tensor();  // [out]
  return linear(x, w, b);                                   // [..., out]
}

LATHE_REGISTER_OPS(zero_mean_linear) {
  registry.add(OpDef("zero_mean_linear", "reparam")
                   .summary("linear layer with zero-mean outputs: x (W - mean_rows W)^T + "
                            "(b - mean b)")
                   .paper("Pre-RMSNorm and Pre-CRMSNorm Transformers: Equivalent and Efficient "
                          "Pre-LN Transformers")
                   .input("x")
                   .input("weight")
                   .input("bias", Kind::floating, kOptional)
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{zero_mean_linear(c.in("x"), c.in("weight"), c.in("bias"))};
                   }));
}

}  // namespace lathe
