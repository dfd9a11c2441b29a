// l1_norm: L1 (mean absolute deviation) normalization over `axes`:
//   mu = mean(x), s = c mean|x - mu|, y = (x - mu) / (s + eps) * weight + beta
// axes [-1] normalizes each token over its features (layer style); axes [0, 2, 3] normalizes
// each channel of an NCHW batch (batch style, weight and bias [1, C, 1, 1]). weight and bias
// broadcast against x. c = sqrt(pi / 2) makes s equal the standard deviation for Gaussian data.
// No squares or square roots: what suits integer arithmetic.
// Paper: "Towards Accurate and Efficient Sub-8-Bit Integer Training" (Guo et al., 2024,
// arXiv:2411.10948), Section 4, fully-quantized L1 normalization layers. Defaults: eps 1e-5,
// c = sqrt(pi / 2), axes [-1].
// Composite: d|x - mu|/dx = sign(x - mu) (0 at 0), coupled through mu and s; autograd.
// Verification (catalog confidence "memory"):
// - checked: only the abstract of arXiv:2411.10948 could be retrieved; it confirms "L1
//   normalization to smoothen the loss landscape" for "fully quantized normalization layers" and
//   a throughput gain over "L2 normalization layers", nothing about the formula. No public code
//   for the paper was found (the code index has no ShiftQuant or matching L1-norm layer).
// - checked: the L1 batch-norm form against eladhoffer/norm_matters, models/mean_bn.py
//   (L1BatchNorm of Hoffer et al. 2018, "Norm matters"): mu over (N, H, W), scale =
//   mean|x - mu| * sqrt(pi / 2), x_hat = (x - mu) / scale. That code adds no eps at all; the eps
//   outside the scale is our choice (it keeps constant channels finite: y = beta).
// - unverified: the sub-8-bit paper's own constant, eps placement and normalization axes. The
//   running statistics of the batch-style module (models/norm/norm.h, L1Norm) follow
//   torch.nn.BatchNorm's momentum convention, an assumption (norm_matters weights the new batch
//   by 1 - momentum instead).
#include "ops/norm/common.h"

namespace lathe {

Tensor l1_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, const Axes& axes,
               double eps, double c) {
  const char* op = "l1_norm";
  check_floating(op, x);
  check_floating(op, weight);
  check_floating(op, bias);
  LATHE_CHECK(!axes.empty(), "[l1_norm] axes must name at least one axis");
  axes_mask(axes, x.dim(), op);  // range check, with the op's name in the error
  LATHE_CHECK(broadcast_shapes(x.shape(), weight.shape(), op) == x.shape() &&
                  broadcast_shapes(x.shape(), bias.shape(), op) == x.shape(),
              "[l1_norm] weight ", weight.shape(), " and bias ", bias.shape(),
              " must broadcast to x ", x.shape());
  LATHE_CHECK(eps >= 0, "[l1_norm] eps must be >= 0, got ", eps);
  DType sd = norms::stat_dtype(x);
  Tensor xs = norms::as_dtype(x, sd);
  Tensor d = xs - mean(xs, axes, true);           // like x
  Tensor s = c * mean(abs(d), axes, true) + eps;  // keepdim over axes
  Tensor y = d / s * norms::as_dtype(weight, sd) + norms::as_dtype(bias, sd);
  return norms::as_dtype(y, x.dtype());
}

LATHE_REGISTER_OPS(l1_norm) {
  registry.add(OpDef("l1_norm", "normalization")
                   .summary("(x - mean) / (c mean|x - mean| + eps) * weight + bias over axes")
                   .paper("Towards Accurate and Efficient Sub-8-Bit Integer Training "
                          "(Guo et al., 2024)")
                   .input("x")
                   .input("weight")
                   .input("bias")
                   .attr("axes", std::vector<int64_t>{-1},
                         "[-1]: per token; [0, 2, 3]: per channel of NCHW")
                   .attr("eps", 1e-5, "added to the scaled mean absolute deviation")
                   .attr("c", kL1NormScale, "sqrt(pi / 2)")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{l1_norm(c.in("x"), c.in("weight"), c.in("bias"), c.ints("axes"),
                                            c.f("eps"), c.f("c"))};
                   }));
}

}  // namespace lathe
