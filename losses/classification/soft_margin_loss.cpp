// soft_margin_loss: l = log(1 + exp(-y x)) = softplus(-y x) for scores x and labels y in {-1, 1}
// of the same shape (the two-class logistic loss), PyTorch's F.soft_margin_loss. Reduction
// 'mean' (every element, default), 'sum', 'none'.
// Source: torch.nn.functional.soft_margin_loss (PyTorch 1.13); not in the catalog (issue 17).
// Defaults: reduction 'mean'.
// Gradient (autograd): -y sigmoid(-y x). The labels are constants (kNoGrad), and any float
// value is taken as given, as in PyTorch.
// NOTE: PyTorch computes log1p(exp(-y x)), which is inf (gradient NaN) once -y x > ~710 (f64)
// or ~89 (f32); lathe's softplus stays finite (1e4 at -y x = 1e4). Composite.
#include "losses/classification/parity.h"
#include "ops/composite.h"

namespace lathe {

Tensor soft_margin_loss(const Tensor& input, const Tensor& target,
                        const SoftMarginLossOptions& o) {
  const char* op = "soft_margin_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  Reduction reduction = parse_reduction(op, o.reduction);
  return apply_reduction(softplus(-target.detach() * input), reduction);
}

LATHE_REGISTER_OPS(soft_margin_loss) {
  registry.add(OpDef("soft_margin_loss", "classification")
                   .summary("two-class logistic loss log(1 + exp(-y x)) (F.soft_margin_loss)")
                   .paper("torch.nn.functional.soft_margin_loss (PyTorch parity)")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .options<SoftMarginLossOptions>()
                   .attr("reduction", &SoftMarginLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(soft_margin_loss));
}

}  // namespace lathe
