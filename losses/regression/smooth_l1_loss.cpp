// smooth_l1_loss: l = 0.5 d^2 / beta for |d| < beta, |d| - 0.5 beta otherwise, d = input -
// target (same shape), PyTorch's F.smooth_l1_loss; beta = 0 is the l1 loss. Reduction 'mean'
// (every element, default), 'sum', 'none'.
// Source: torch.nn.functional.smooth_l1_loss (PyTorch 1.13); Girshick, "Fast R-CNN" (2015).
// Not in the catalog (issue 17 parity).
// Defaults: reduction 'mean', beta 1.0 (must be >= 0, as PyTorch checks).
// Gradient (autograd): clamp(d / beta, -1, 1) (sign(d) for beta 0), negated for the target
// (differentiable, as in PyTorch). The second derivative jumps at |d| = beta. Composite.
#include "losses/regression/parity.h"
#include "ops/composite.h"

namespace lathe {

Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, const SmoothL1LossOptions& o) {
  const char* op = "smooth_l1_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  Reduction reduction = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.beta >= 0, "[", op, "] beta must be >= 0, got ", o.beta);
  Tensor a = abs(input - target);
  if (o.beta == 0) return apply_reduction(a, reduction);
  Tensor q = clamp(a, 0.0, o.beta);  // the quadratic piece on min(|d|, beta), linear beyond
  Tensor loss = 0.5 / o.beta * q * q + (a - q);
  return apply_reduction(loss, reduction);
}

LATHE_REGISTER_OPS(smooth_l1_loss) {
  registry.add(OpDef("smooth_l1_loss", "regression")
                   .summary("smooth L1: quadratic within beta, |d| - beta/2 beyond "
                            "(F.smooth_l1_loss)")
                   .paper("torch.nn.functional.smooth_l1_loss (PyTorch parity); Fast R-CNN")
                   .input("input")
                   .input("target")
                   .options<SmoothL1LossOptions>()
                   .attr("reduction", &SmoothL1LossOptions::reduction, "none | mean | sum")
                   .attr("beta", &SmoothL1LossOptions::beta, ">= 0, where the square turns "
                         "linear (0: l1_loss)")
                   .output("loss")
                   .run(smooth_l1_loss));
}

}  // namespace lathe
