// margin_ranking_loss: l = max(0, -y (x1 - x2) + margin) for scores x1, x2 and labels y in
// {-1, 1} (float), all of one shape: y = 1 asks x1 to rank above x2 by the margin. PyTorch's
// F.margin_ranking_loss; reduction 'mean' (every element, default), 'sum', 'none'.
// Source: torch.nn.functional.margin_ranking_loss (PyTorch 1.13); not in the catalog (issue 17).
// Placed in the regression family: it scores pairs of real-valued predictions (the catalog's
// ranking family belongs to another branch's folder).
// Defaults: margin 0 (any value, as PyTorch), reduction 'mean'.
// Gradient (autograd): -y on x1 and +y on x2 where the hinge is active; kink at
// -y (x1 - x2) + margin = 0, where the subgradient is PyTorch's clamp_min one (the sloped
// side's). The labels are constants (kNoGrad). Composite.
#include "losses/regression/parity.h"
#include "ops/composite.h"

namespace lathe {

Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                           const MarginRankingLossOptions& o) {
  const char* op = "margin_ranking_loss";
  check_floating(op, "input1", input1);
  check_floating(op, "input2", input2);
  check_floating(op, "target", target);
  check_same_shape(op, "input1", input1, "input2", input2);
  check_same_shape(op, "input1", input1, "target", target);
  Reduction reduction = parse_reduction(op, o.reduction);
  Tensor loss = clamp(-target.detach() * (input1 - input2) + o.margin, 0.0);
  return apply_reduction(loss, reduction);
}

LATHE_REGISTER_OPS(margin_ranking_loss) {
  registry.add(OpDef("margin_ranking_loss", "regression")
                   .summary("pairwise ranking hinge max(0, -y (x1 - x2) + margin) "
                            "(F.margin_ranking_loss)")
                   .paper("torch.nn.functional.margin_ranking_loss (PyTorch parity)")
                   .input("input1")
                   .input("input2")
                   .input("target", Kind::floating, kNoGrad)
                   .options<MarginRankingLossOptions>()
                   .attr("margin", &MarginRankingLossOptions::margin, "the ranking margin")
                   .attr("reduction", &MarginRankingLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(margin_ranking_loss));
}

}  // namespace lathe
