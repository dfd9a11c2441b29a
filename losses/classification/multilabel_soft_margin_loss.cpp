// multilabel_soft_margin_loss: per sample n of scores x [N, C] (or [C]) and targets y in {0, 1}
// of the same shape,
//   l_n = -(1 / C) sum_c w_c (y_nc log sigmoid(x_nc) + (1 - y_nc) log sigmoid(-x_nc)),
// PyTorch's F.multilabel_soft_margin_loss; reduction 'mean' (over samples, default), 'sum',
// 'none' ([N]).
// Source: torch.nn.functional.multilabel_soft_margin_loss (PyTorch 1.13); not in the catalog.
// Defaults: no weight, reduction 'mean'.
// Gradient (autograd): w_c (sigmoid(x) - y) / C. log sigmoid(x) = -softplus(-x), finite at
// |x| = 1e4. Targets and weights are constants (kNoGrad; PyTorch's composite would
// differentiate the target, lathe treats labels as data). Composite.
#include "losses/classification/parity.h"
#include "ops/composite.h"

namespace lathe {

Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target,
                                   const MultilabelSoftMarginLossOptions& o) {
  const char* op = "multilabel_soft_margin_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  LATHE_CHECK(input.dim() == 1 || input.dim() == 2, "[", op, "] input must be [N, C] or [C], got ",
              input.shape());
  check_same_shape(op, "input", input, "target", target);
  Reduction reduction = parse_reduction(op, o.reduction);
  int64_t c = input.shape()[input.dim() - 1];
  check_optional_shape(op, "weight", o.weight, Shape{c});
  Tensor y = target.detach();
  Tensor terms = y * softplus(-input) + (1.0 - y) * softplus(input);    // [N, C]
  if (o.weight.defined()) terms = terms * o.weight.detach();
  Tensor rows = sum(terms, {-1}) / static_cast<double>(c);              // [N]
  return apply_reduction(rows, reduction);
}

LATHE_REGISTER_OPS(multilabel_soft_margin_loss) {
  registry.add(OpDef("multilabel_soft_margin_loss", "classification")
                   .summary("per-sample mean over classes of the sigmoid cross-entropy "
                            "(F.multilabel_soft_margin_loss)")
                   .paper("torch.nn.functional.multilabel_soft_margin_loss (PyTorch parity)")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .options<MultilabelSoftMarginLossOptions>()
                   .input("weight", &MultilabelSoftMarginLossOptions::weight, Kind::floating,
                          kOptional | kNoGrad)
                   .attr("reduction", &MultilabelSoftMarginLossOptions::reduction,
                         "none ([N]) | mean | sum over samples")
                   .output("loss")
                   .run(multilabel_soft_margin_loss));
}

}  // namespace lathe
