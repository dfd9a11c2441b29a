// z_loss: the Z-loss of pre-activations o [B, C] against class indices y [B]: standardise each
// row over the classes, then a softplus of the target's score:
//   mu = mean_c o_c,  sigma = sqrt(mean_c (o_c - mu)^2)  (population std, centered),
//   z_y = (o_y - mu) / (sigma + eps),   l = (1/a) softplus(a (b - z_y)),
// reduced 'mean' over the batch (default), 'sum' (what the authors' example returns) or 'none'.
// Invariant to o -> alpha o + beta (alpha > 0).
// Paper: "The Z-loss: a shift and scale invariant classification loss belonging to the
// Spherical Family" (de Brebisson & Vincent, 2016; catalog: classification.md, official code
// pascal20100/factored_output_layer, example/timing_example.py).
// Defaults: a 1, b 0 (the member of the authors' example; the paper leaves both free), eps 1e-12,
// reduction 'mean'.
// NOTE: the authors' code computes sigma from running sums q/C - mu^2 (the O(d^2) spherical-family
// trick), which can round below 0; lathe, like the catalog's oracle, uses the centered variance.
// eps is added to sigma, outside the square root (as in the code): an all-equal row has the
// finite value softplus(a b)/a, but its gradient is NaN (sqrt at 0), as in the reference.
// Not the PaLM/ST-MoE log^2 Z penalty (that one is logit_z_loss, lm family). Composite.
#include "losses/classification/classification.h"
#include "ops/composite.h"

namespace lathe {

Tensor z_loss(const Tensor& input, const Tensor& target, const ZLossOptions& o) {
  const char* op = "z_loss";
  check_floating(op, "input", input);
  check_dim(op, "input", input, 2);
  Reduction reduction = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.a > 0, "[", op, "] a must be > 0, got ", o.a);
  LATHE_CHECK(o.eps >= 0, "[", op, "] eps must be >= 0, got ", o.eps);
  LATHE_CHECK(is_integral(target.dtype()) && target.shape() == Shape{input.shape()[0]}, "[", op,
              "] class-index targets must be integers [", input.shape()[0], "], got ",
              target.dtype(), " ", target.shape());
  Tensor y = unsqueeze(target.to(DType::i64), 1);                       // [B, 1]
  Tensor mu = mean(input, {1}, true);                                   // [B, 1]
  Tensor centered = input - mu;                                         // [B, C]
  Tensor sigma = sqrt(mean(centered * centered, {1}, true));            // [B, 1]
  Tensor z_y = reshape(gather(centered, y, 1) / (sigma + o.eps), {-1}); // [B]
  return apply_reduction(softplus(o.a * (o.b - z_y)) / o.a, reduction);
}

LATHE_REGISTER_OPS(z_loss) {
  registry.add(OpDef("z_loss", "classification")
                   .summary("softplus of the target's standardised score (shift/scale invariant)")
                   .paper("The Z-loss: a shift and scale invariant classification loss belonging "
                          "to the Spherical Family")
                   .input("input")
                   .input("target", Kind::integer)
                   .options<ZLossOptions>()
                   .attr("a", &ZLossOptions::a, "sharpness, > 0")
                   .attr("b", &ZLossOptions::b, "location")
                   .attr("eps", &ZLossOptions::eps, "added to the standard deviation")
                   .attr("reduction", &ZLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(z_loss));
}

}  // namespace lathe
