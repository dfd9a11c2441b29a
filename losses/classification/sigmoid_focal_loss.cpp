// sigmoid_focal_loss: the sigmoid (per-element binary) focal loss of logits x against targets
// t in [0, 1] (soft targets allowed), same shape:
//   p = sigmoid(x), ce = bce_with_logits(x, t, 'none'), p_t = p t + (1 - p)(1 - t),
//   l = alpha_t ce (1 - p_t)^gamma,  alpha_t = alpha t + (1 - alpha)(1 - t)  (alpha < 0: 1),
// reduced 'none' (default, as torchvision's), 'mean' or 'sum' over every element, or, with
// num_boxes > 0, DETR's form sum_b mean_q (sum over the rest of l[b, q, ...]) / num_boxes:
// l.mean(1).sum() / num_boxes (the caller multiplies by the query count for the label loss).
// Paper: "An Extendable, Efficient and Effective Transformer-based Object Detector" (ViDT+:
// class loss and token labeling; catalog: classification.md, official code naver-ai/vidt
// methods/segmentation.py, the formula of torchvision.ops.sigmoid_focal_loss).
// Defaults: alpha 0.25, gamma 2, reduction 'none', num_boxes 0 (not used).
// The modulating factor is not detached; 1 - p_t is clamped at 0 against rounding, and
// gamma = 0 skips it. Gradients reach the logits only: the target is a constant here, unlike
// bce_with_logits (the reference differentiates it, but no caller of the focal form does).
// Composite.
#include "losses/classification/classification.h"
#include "ops/composite.h"

namespace lathe {

Tensor sigmoid_focal_loss(const Tensor& input, const Tensor& target,
                          const SigmoidFocalLossOptions& o) {
  const char* op = "sigmoid_focal_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  Reduction reduction = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.gamma >= 0, "[", op, "] gamma must be >= 0, got ", o.gamma);
  LATHE_CHECK(o.num_boxes >= 0, "[", op, "] num_boxes must be > 0 (or 0: unused), got ",
              o.num_boxes);
  LATHE_CHECK(o.num_boxes == 0 || input.dim() >= 2, "[", op,
              "] num_boxes needs [B, Q, ...] logits, got ", input.shape());
  Tensor t = target.detach();
  BceWithLogitsOptions none;
  none.reduction = "none";
  Tensor loss = bce_with_logits(input, t, none);                       // [...] ce
  if (o.gamma > 0) {
    Tensor p = sigmoid(input);
    Tensor p_t = p * t + (1.0 - p) * (1.0 - t);                        // [...]
    loss = loss * pow(clamp(1.0 - p_t, 0.0), o.gamma);
  }
  if (o.alpha >= 0) loss = (o.alpha * t + (1.0 - o.alpha) * (1.0 - t)) * loss;
  if (o.num_boxes == 0) return apply_reduction(loss, reduction);
  Tensor per_box = mean(loss, {1});                                    // [B, ...] mean over Q
  return sum(per_box) / o.num_boxes;
}

LATHE_REGISTER_OPS(sigmoid_focal_loss) {
  registry.add(OpDef("sigmoid_focal_loss", "classification")
                   .summary("per-element sigmoid focal loss of logits against (soft) targets")
                   .paper("An Extendable, Efficient and Effective Transformer-based Object "
                          "Detector")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .options<SigmoidFocalLossOptions>()
                   .attr("alpha", &SigmoidFocalLossOptions::alpha,
                         "weight of positives (1 - alpha: negatives); < 0 disables")
                   .attr("gamma", &SigmoidFocalLossOptions::gamma, "focusing exponent >= 0")
                   .attr("reduction", &SigmoidFocalLossOptions::reduction, "none | mean | sum")
                   .attr("num_boxes", &SigmoidFocalLossOptions::num_boxes,
                         "> 0: DETR's loss.mean(1).sum() / num_boxes (reduction unused)")
                   .output("loss")
                   .run(sigmoid_focal_loss));
}

}  // namespace lathe
