// focal_tversky_loss: the focal Tversky loss of probabilities p and binary targets g of one
// shape, every element (batch, channels, space) pooled into one set:
//   TP = sum p g,  FN = sum g (1 - p),  FP = sum (1 - g) p
//   TI = (TP + s) / (TP + alpha FN + (1 - alpha) FP + s),  L = |1 - TI|^gamma
// (beta = 1 - alpha is tied, not a parameter; the absolute value is the reference's).
// Paper: "PULASki: Learning inter-rater variability using statistical distances to improve
// probabilistic segmentation" (its default segmentation loss, --segloss_mode 0); the loss is
// Abraham & Khan's (catalog: segmentation.md; soumickmj/PULASki Evaluation/evaluate.py
// FocalTverskyLoss, pipeline.py applies the sigmoid before the loss, so the op takes
// probabilities: values outside [0, 1] are an error).
// Defaults: alpha 0.7, gamma 0.75, s 1.
// NOTE: at TI = 1 exactly (a perfect binary prediction) the reference's gradient is NaN
// (0^(gamma - 1) sign(0)); lathe returns the value 0 with a zero gradient there, and wherever
// 1 - TI <= 1e-12 (double-where, so no NaN is formed). Elsewhere the gradient is autograd's.
// Composite; a scalar (own reduction).
#include "losses/segmentation/common.h"
#include "losses/segmentation/segmentation.h"
#include "ops/composite.h"

namespace lathe {

Tensor focal_tversky_loss(const Tensor& input, const Tensor& target,
                          const FocalTverskyLossOptions& o) {
  const char* op = "focal_tversky_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  LATHE_CHECK(o.alpha >= 0.0 && o.alpha <= 1.0 && o.gamma > 0.0 && o.smooth >= 0.0, "[", op,
              "] needs alpha in [0, 1], gamma > 0, smooth >= 0; got ", o.alpha, ", ", o.gamma,
              ", ", o.smooth);
  seg::check_probabilities(op, "input", input);
  Tensor g = target.detach();
  Tensor tp = sum(input * g), fn = sum(g * (1.0 - input)), fp = sum((1.0 - g) * input);
  Tensor ti = (tp + o.smooth) / (tp + o.alpha * fn + (1.0 - o.alpha) * fp + o.smooth);
  Tensor d = abs(1.0 - ti);
  Tensor live = gt(d, 1e-12);
  return where(live, pow(where(live, d, 1.0), o.gamma), 0.0);
}

LATHE_REGISTER_OPS(focal_tversky_loss) {
  using O = FocalTverskyLossOptions;
  registry.add(OpDef("focal_tversky_loss", "segmentation")
                   .summary("focal Tversky loss |1 - TI|^gamma over one pooled set")
                   .paper("PULASki: Learning inter-rater variability using statistical "
                          "distances to improve probabilistic segmentation")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .options<O>()
                   .attr("alpha", &O::alpha, "weight of false negatives (FP get 1 - alpha)")
                   .attr("gamma", &O::gamma, "focal exponent")
                   .attr("smooth", &O::smooth, "s, added to numerator and denominator")
                   .own_reduction("one scalar over every element pooled")
                   .output("loss")
                   .run(focal_tversky_loss));
}

}  // namespace lathe
