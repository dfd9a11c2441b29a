// multi_margin_loss: the multi-class hinge loss of scores x [N, C] (or [C]) against class
// indices y [N] (or []), PyTorch's F.multi_margin_loss:
//   l_n = (1 / C) sum_{i != y_n} w_{y_n} max(0, margin - x_{n, y_n} + x_{n, i})^p,  p in {1, 2}.
// Reduction 'mean' (over samples, default), 'sum', 'none' ([N]).
// Source: torch.nn.functional.multi_margin_loss (PyTorch 1.13); Weston and Watkins, "Support
// Vector Machines for Multi-Class Pattern Recognition" (1999). Not in the catalog (issue 17).
// Defaults: p 1, margin 1.0 (any value, as PyTorch), no weight, reduction 'mean'.
// Gradient (autograd): for each active term, +w p h^(p-1) / C on x_i and the negative on x_y;
// kinks where margin - x_y + x_i = 0. Weights are constants. Composite.
#include "losses/classification/parity.h"
#include "ops/composite.h"

namespace lathe {

Tensor multi_margin_loss(const Tensor& input, const Tensor& target,
                         const MultiMarginLossOptions& o) {
  const char* op = "multi_margin_loss";
  check_floating(op, "input", input);
  LATHE_CHECK(input.dim() == 1 || input.dim() == 2, "[", op, "] input must be [N, C] or [C], got ",
              input.shape());
  Reduction reduction = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.p == 1 || o.p == 2, "[", op, "] p must be 1 or 2, got ", o.p);
  bool unbatched = input.dim() == 1;
  Tensor x = unbatched ? unsqueeze(input, 0) : input;                    // [N, C]
  int64_t n = x.shape()[0], c = x.shape()[1];
  Tensor y = class_indices(op, "target", target, c);
  LATHE_CHECK(y.shape() == (unbatched ? Shape{} : Shape{n}), "[", op, "] target must have shape ",
              unbatched ? Shape{} : Shape{n}, " for input ", input.shape(), ", got ", y.shape());
  check_optional_shape(op, "weight", o.weight, Shape{c});
  y = reshape(y, {n});                                                   // [N]
  Tensor x_y = gather(x, unsqueeze(y, 1), 1);                            // [N, 1]
  Tensor h = relu(o.margin - x_y + x);                                   // [N, C]
  if (o.p == 2) h = h * h;
  Tensor others = eq(one_hot(y, c), 0.0);                                // [N, C] i != y
  h = where(others, h, scalar_like(0.0, h));
  if (o.weight.defined()) h = h * unsqueeze(gather(o.weight.detach(), y, 0), 1);
  Tensor rows = sum(h, {1}) / static_cast<double>(c);                    // [N]
  if (reduction == Reduction::none && unbatched) return squeeze(rows, {0});
  return apply_reduction(rows, reduction);
}

LATHE_REGISTER_OPS(multi_margin_loss) {
  registry.add(OpDef("multi_margin_loss", "classification")
                   .summary("multi-class hinge loss over the other classes "
                            "(F.multi_margin_loss)")
                   .paper("torch.nn.functional.multi_margin_loss (PyTorch parity); Support "
                          "Vector Machines for Multi-Class Pattern Recognition")
                   .input("input")
                   .input("target", Kind::integer)
                   .options<MultiMarginLossOptions>()
                   .attr("p", &MultiMarginLossOptions::p, "1 (hinge) or 2 (squared hinge)")
                   .attr("margin", &MultiMarginLossOptions::margin, "the hinge's margin")
                   .input("weight", &MultiMarginLossOptions::weight, Kind::floating,
                          kOptional | kNoGrad)
                   .attr("reduction", &MultiMarginLossOptions::reduction,
                         "none ([N]) | mean | sum over samples")
                   .output("loss")
                   .run(multi_margin_loss));
}

}  // namespace lathe
