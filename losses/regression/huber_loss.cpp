// huber_loss: l = 0.5 d^2 for |d| < delta, delta (|d| - 0.5 delta) otherwise, d = input - target
// (same shape), PyTorch's F.huber_loss. Reduction 'mean' (every element, default), 'sum', 'none'.
// Source: torch.nn.functional.huber_loss (PyTorch 1.13); Huber, "Robust Estimation of a Location
// Parameter" (1964). Not in the catalog (issue 17 parity).
// Defaults: reduction 'mean', delta 1.0 (must be > 0, as PyTorch checks).
// Gradient (autograd): clamp(d, -delta, delta), and its negative for the target (differentiable,
// as in PyTorch). The second derivative jumps at |d| = delta (cases stay away from it).
// huber_loss = delta * smooth_l1_loss with beta = delta. Composite.
#include "losses/regression/parity.h"
#include "ops/composite.h"

namespace lathe {

Tensor huber_loss(const Tensor& input, const Tensor& target, const HuberLossOptions& o) {
  const char* op = "huber_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  Reduction reduction = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.delta > 0, "[", op, "] delta must be > 0, got ", o.delta);
  Tensor d = input - target;
  Tensor a = abs(d);
  // The quadratic piece on min(|d|, delta), the linear rest beyond: one expression, no branch.
  Tensor q = clamp(a, 0.0, o.delta);
  Tensor loss = 0.5 * q * q + o.delta * (a - q);
  return apply_reduction(loss, reduction);
}

LATHE_REGISTER_OPS(huber_loss) {
  registry.add(OpDef("huber_loss", "regression")
                   .summary("Huber loss: quadratic within delta, linear beyond (F.huber_loss)")
                   .paper("torch.nn.functional.huber_loss (PyTorch parity); Robust Estimation "
                          "of a Location Parameter")
                   .input("input")
                   .input("target")
                   .options<HuberLossOptions>()
                   .attr("reduction", &HuberLossOptions::reduction, "none | mean | sum")
                   .attr("delta", &HuberLossOptions::delta, "> 0, where the square turns linear")
                   .output("loss")
                   .run(huber_loss));
}

}  // namespace lathe
