// ce_dice_loss: TopoMortar's CEDiceLoss of logits z [B, C, spatial...] and a one-hot (or soft)
// target g of the same shape, with p = softmax(z, 1) and class weights w [C] (ones when absent):
//   dice = -mean_{b,c} w_c (2 sum PG + 1e-5) / max(sum G + sum P + 1e-5, 1e-8)   (negative Dice)
//   ce   = sum_c w_c mean_{b,spatial} [-g log(p + 1e-15)]
//   L    = lam_dice dice + lam_ce ce
// Paper: "TopoMortar: A dataset to evaluate image segmentation methods focused on topology
// accuracy" (catalog: segmentation.md; jmlipman/TopoMortar lib/losses.py CEDiceLoss,
// _dice_loss, _crossentropy_loss). The reference one-hots an index map first (MONAI one_hot),
// a data step left to the caller.
// Defaults: no weights, lam_dice = lam_ce = 1.
// NOTE: the cross-entropy goes through log(p + 1e-15), not log_softmax, as the reference does:
// a saturated wrong class costs at most -log(1e-15) = 34.5 per pixel.
// Gradients (autograd); the target and the weights are constants (detached). Composite; a
// scalar (own reduction).
#include "losses/segmentation/common.h"
#include "losses/segmentation/segmentation.h"
#include "ops/composite.h"

namespace lathe {

Tensor ce_dice_loss(const Tensor& input, const Tensor& target, const CeDiceLossOptions& o) {
  const char* op = "ce_dice_loss";
  seg::check_dense(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  int64_t c = input.shape()[1];
  if (o.weight.defined()) check_shape(op, "weight", o.weight, {c});
  Tensor p = softmax(input, 1);                                        // [B, C, ...]
  Tensor g = target.detach();
  Tensor dice = seg::negative_dice(p, g, o.weight);
  Axes other = seg::spatial_axes(input);
  other.insert(other.begin(), 0);
  Tensor ce = mean(-g * log(p + 1e-15), other);                        // [C]
  if (o.weight.defined()) ce = o.weight.detach() * ce;
  return o.lam_dice * dice + o.lam_ce * sum(ce);
}

LATHE_REGISTER_OPS(ce_dice_loss) {
  registry.add(OpDef("ce_dice_loss", "segmentation")
                   .summary("TopoMortar's CE + negative soft Dice of softmax(logits)")
                   .paper("TopoMortar: A dataset to evaluate image segmentation methods focused "
                          "on topology accuracy")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .options<CeDiceLossOptions>()
                   .input("weight", &CeDiceLossOptions::weight, Kind::floating,
                          kOptional | kNoGrad)
                   .attr("lam_dice", &CeDiceLossOptions::lam_dice, "weight of the Dice term")
                   .attr("lam_ce", &CeDiceLossOptions::lam_ce, "weight of the CE term")
                   .own_reduction("one scalar: class-weighted Dice mean plus per-class CE means")
                   .output("loss")
                   .run(ce_dice_loss));
}

}  // namespace lathe
