// soft_iou_loss: GCoNet+'s IoU loss of logits x [B, ...] and binary targets g of the same shape:
//   p = sigmoid(x),  IoU_b = sum g p / (sum g + sum p - sum g p)  (sums over all but the batch)
//   L = sum_b (1 - IoU_b)       (a sum over the batch, no epsilon)
// Paper: "GCoNet+: A Stronger Group Collaborative Co-Salient Object Detector" (catalog:
// segmentation.md; ZhengPeng7/GCoNet_plus loss.py IoU_loss, DSLoss: DSLoss applies the
// sigmoid and passes probabilities to IoU_loss, so this op takes logits).
// Multi-scale supervision (bilinear upsampling of each level, level weights) and the other
// terms of the GCoNet+ objective belong to the caller.
// Gradients (autograd, quotient rule). The denominator is positive for finite logits, since
// sigmoid > 0 (the 0/0 of an empty target and an all-zero prediction cannot occur). Composite;
// a scalar (own reduction).
#include "losses/segmentation/segmentation.h"
#include "ops/composite.h"

namespace lathe {

Tensor soft_iou_loss(const Tensor& input, const Tensor& target) {
  const char* op = "soft_iou_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  LATHE_CHECK(input.dim() >= 2, "[", op, "] input must be [B, ...], got ", input.shape());
  int64_t b = input.shape()[0];
  Tensor p = reshape(sigmoid(input), {b, input.numel() / b});             // [B, M]
  Tensor g = reshape(target.detach(), {b, input.numel() / b});            // [B, M]
  Tensor inter = sum(g * p, {1});                                          // [B]
  return sum(1.0 - inter / (sum(g, {1}) + sum(p, {1}) - inter));
}

LATHE_REGISTER_OPS(soft_iou_loss) {
  registry.add(OpDef("soft_iou_loss", "segmentation")
                   .summary("GCoNet+ soft IoU loss of sigmoid(logits), summed over the batch")
                   .paper("GCoNet+: A Stronger Group Collaborative Co-Salient Object Detector")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .own_reduction("a sum over the batch, as the reference")
                   .output("loss")
                   .run([](const OpCall& c) {
                     return Outputs{soft_iou_loss(c.in("input"), c.in("target"))};
                   }));
}

}  // namespace lathe
