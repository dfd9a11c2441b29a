// giou_loss: generalized IoU loss of matched boxes, predictions and targets [N, 4] in
// (cx, cy, w, h), converted to corners (x0, y0, x1, y1) = (cx -+ w/2, cy -+ h/2):
//   I = clamp(min(x1) - max(x0), 0) clamp(min(y1) - max(y0), 0),  U = |A| + |B| - I,
//   E = clamp(max(x1) - min(x0), 0) clamp(max(y1) - min(y0), 0)   (the enclosing box C),
//   GIoU = I/U - (E - U)/E,    l = 1 - GIoU,
// reduced 'mean' (default), 'sum' or 'none' ([N]); num_boxes > 0 gives the detector's
// sum(l) / num_boxes (ViDT's loss_boxes), the reduction unused.
// Paper: "An Extendable, Efficient and Effective Transformer-based Object Detector" (ViDT;
// catalog: regression.md; official code naver-ai/vidt util/box_ops.py generalized_box_iou,
// methods/vidt/criterion.py loss_boxes: 1 - diag(generalized_box_iou(pred, gt)), summed, divided
// by num_boxes; the DETR lineage's box utilities).
// Defaults: num_boxes 0 (unused), reduction 'mean'.
// Gradients (autograd), PyTorch's rules at the kinks, which the catalog requires: maximum and
// minimum of coordinates send the gradient to the larger/smaller one and half to each at a tie;
// clamp(min = 0) passes it where the width is >= 0 (touching boxes included). So identical
// boxes (loss 0, every coordinate a tie) get exactly 0: the intersection and enclosure terms
// cancel. Zero-area boxes give 0/0 = NaN, as the reference. The target is differentiated too.
// Composite.
#include "losses/regression/boxes.h"
#include "losses/regression/regression.h"

namespace lathe {

Tensor giou_loss(const Tensor& input, const Tensor& target, const GiouLossOptions& options) {
  const char* op = "giou_loss";
  check_boxes(op, "input", input);
  check_same_shape(op, "input", input, "target", target);
  check_floating(op, "target", target);
  Reduction r = parse_reduction(op, options.reduction);
  LATHE_CHECK(options.num_boxes >= 0, "[", op, "] num_boxes must be > 0 (or 0: unused), got ",
              options.num_boxes);
  std::array<Tensor, 4> p = box_corners(input), g = box_corners(target);   // [N] each
  Tensor inter = box_intersection(p, g);                                     // [N]
  Tensor uni = box_area(p) + box_area(g) - inter;                            // [N]
  Tensor encl = clamp(maximum(p[2], g[2]) - minimum(p[0], g[0]), 0.0) *
                clamp(maximum(p[3], g[3]) - minimum(p[1], g[1]), 0.0);      // [N] hull C
  Tensor giou = inter / uni - (encl - uni) / encl;                           // [N]
  Tensor loss = 1.0 - giou;                                                  // [N]
  if (options.num_boxes > 0) return sum(loss) / options.num_boxes;
  return apply_reduction(loss, r);
}

LATHE_REGISTER_OPS(giou_loss) {
  registry.add(OpDef("giou_loss", "regression")
                   .summary("1 - generalized IoU of matched (cx, cy, w, h) boxes")
                   .paper("An Extendable, Efficient and Effective Transformer-based Object "
                          "Detector")
                   .input("input")
                   .input("target")
                   .options<GiouLossOptions>()
                   .attr("num_boxes", &GiouLossOptions::num_boxes,
                         "> 0: the detector's sum / num_boxes (reduction unused)")
                   .attr("reduction", &GiouLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(giou_loss));
}

}  // namespace lathe
