// iou_aware_loss: ViDT+'s IoU-aware loss. For Hungarian-matched queries, a predicted IoU logit
// s [N] against the IoU of the predicted box with its target box, [N, 4] each in
// (cx, cy, w, h); the IoU is computed from the predicted boxes and NOT detached, so the loss
// also trains the box regressor through the target of the BCE:
//   IoU = I / (|A| + |B| - I),    l = bce_with_logits(s, IoU),
// num_boxes > 0: sum(l) / num_boxes (ViDT's), else reduced 'mean' (default), 'sum' or 'none'.
// Paper: "An Extendable, Efficient and Effective Transformer-based Object Detector" (ViDT+;
// catalog: regression.md; official code naver-ai/vidt methods/vidt/criterion.py loss_iouaware).
// Defaults: num_boxes 0 (unused), reduction 'mean'.
// Gradients (autograd): into s, and through the IoU (dl/dIoU = -s) into the predicted boxes
// (the target gradient of bce_with_logits); the target boxes are data (a constant). Disjoint
// boxes give IoU 0 and no gradient into the boxes (clamp); zero-area boxes give 0/0.
// Composite.
#include "losses/classification/classification.h"
#include "losses/regression/boxes.h"
#include "losses/regression/regression.h"

namespace lathe {

Tensor iou_aware_loss(const Tensor& input, const Tensor& pred_boxes, const Tensor& target_boxes,
                      const IouAwareLossOptions& options) {
  const char* op = "iou_aware_loss";
  check_floating(op, "input", input);
  check_boxes(op, "pred_boxes", pred_boxes);
  check_boxes(op, "target_boxes", target_boxes);
  check_same_shape(op, "pred_boxes", pred_boxes, "target_boxes", target_boxes);
  LATHE_CHECK(input.shape() == Shape{pred_boxes.shape()[0]}, "[", op,
              "] input must hold one IoU logit per box [", pred_boxes.shape()[0], "], got ",
              input.shape());
  Reduction r = parse_reduction(op, options.reduction);
  LATHE_CHECK(options.num_boxes >= 0, "[", op, "] num_boxes must be > 0 (or 0: unused), got ",
              options.num_boxes);
  std::array<Tensor, 4> p = box_corners(pred_boxes), g = box_corners(target_boxes.detach());
  Tensor inter = box_intersection(p, g);                               // [N]
  Tensor iou = inter / (box_area(p) + box_area(g) - inter);            // [N], not detached
  BceWithLogitsOptions none;
  none.reduction = "none";
  Tensor loss = bce_with_logits(input, iou, none);                     // [N]
  if (options.num_boxes > 0) return sum(loss) / options.num_boxes;
  return apply_reduction(loss, r);
}

LATHE_REGISTER_OPS(iou_aware_loss) {
  registry.add(OpDef("iou_aware_loss", "regression")
                   .summary("BCE of predicted IoU logits against the (differentiable) box IoU")
                   .paper("An Extendable, Efficient and Effective Transformer-based Object "
                          "Detector")
                   .input("input")
                   .input("pred_boxes")
                   .input("target_boxes", Kind::floating, kNoGrad)
                   .options<IouAwareLossOptions>()
                   .attr("num_boxes", &IouAwareLossOptions::num_boxes,
                         "> 0: the detector's sum / num_boxes (reduction unused)")
                   .attr("reduction", &IouAwareLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(iou_aware_loss));
}

}  // namespace lathe
