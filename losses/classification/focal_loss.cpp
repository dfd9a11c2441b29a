// focal_loss: the softmax focal loss of logits z [B, C] against class indices y [B]:
//   ce_b = -log_softmax(z_b)_{y_b},  p_t = exp(-ce_b),  l_b = alpha (1 - p_t)^gamma ce_b,
// alpha a scalar (not a per-class vector), reduced 'mean' (default), 'sum' or 'none'.
// Paper: "ITCFN: Incomplete Triple-Modal Co-Attention Fusion Network for Mild Cognitive
// Impairment Conversion Prediction" (task loss of the default model; catalog:
// classification.md, official code justinhxy/ITFC FocalLoss).
// Defaults: alpha 0.25, gamma 2, ignore_index -100 (the reference is F.cross_entropy's),
// reduction 'mean'.
// Rows with y == ignore_index contribute 0 and leave the mean's denominator (the catalog's
// convention; the reference's l.mean() would count them); every row ignored gives a finite 0.
// NOTE: the modulating factor is not detached (as in the official code): the gradient flows
// through p_t. 1 - p_t is clamped at 0 so that rounding cannot feed pow a negative base, and
// gamma = 0 skips the factor (alpha times cross-entropy) rather than differentiating x^0 at 0.
// Composite.
#include "losses/classification/classification.h"
#include "ops/composite.h"

namespace lathe {

Tensor focal_loss(const Tensor& input, const Tensor& target, const FocalLossOptions& o) {
  const char* op = "focal_loss";
  check_floating(op, "input", input);
  check_dim(op, "input", input, 2);
  Reduction reduction = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.gamma >= 0, "[", op, "] gamma must be >= 0, got ", o.gamma);
  LATHE_CHECK(is_integral(target.dtype()) && target.shape() == Shape{input.shape()[0]}, "[", op,
              "] class-index targets must be integers [", input.shape()[0], "], got ",
              target.dtype(), " ", target.shape());
  Tensor y = target.to(DType::i64);                                       // [B]
  Tensor keep = ne(y, static_cast<double>(o.ignore_index));               // [B] bool
  Tensor y_safe = where(keep, y, scalar_like(0, y));
  Tensor kept = cast(keep, input.dtype());                                // [B]
  Tensor ce = softmax_cross_entropy(input, y_safe) * kept;                // [B]
  Tensor rows = ce;
  if (o.gamma > 0) rows = pow(clamp(1.0 - exp(-ce), 0.0), o.gamma) * ce;  // [B]
  rows = rows * o.alpha;
  if (reduction != Reduction::mean) return apply_reduction(rows, reduction);
  Tensor count = sum(kept);
  return sum(rows) / where(eq(count, 0.0), scalar_like(1.0, count), count);
}

LATHE_REGISTER_OPS(focal_loss) {
  registry.add(OpDef("focal_loss", "classification")
                   .summary("softmax focal loss alpha (1 - p_t)^gamma CE with a scalar alpha")
                   .paper("ITCFN: Incomplete Triple-Modal Co-Attention Fusion Network for Mild "
                          "Cognitive Impairment Conversion Prediction")
                   .input("input")
                   .input("target", Kind::integer)
                   .options<FocalLossOptions>()
                   .attr("alpha", &FocalLossOptions::alpha, "scalar weight of every row")
                   .attr("gamma", &FocalLossOptions::gamma,
                         "focusing exponent >= 0 (0: alpha times cross-entropy)")
                   .attr("ignore_index", &FocalLossOptions::ignore_index,
                         "targets equal to it contribute nothing")
                   .attr("reduction", &FocalLossOptions::reduction,
                         "none | mean (over kept rows) | sum")
                   .output("loss")
                   .run(focal_loss));
}

}  // namespace lathe
