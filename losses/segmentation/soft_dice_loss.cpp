// soft_dice_loss: soft Dice of predictions P [B, C, spatial...] against targets G of the same
// shape (one-hot or soft), in the four published forms, each following its reference function
// (sums over the spatial axes unless stated):
//   sfda (default)  mean_{b,c} [1 - (2 sum PG + 1e-10) / (sum P + sum G + 1e-10)], on the
//                   classes `idc` only when given (SFDA losses.py DiceLoss);
//   topomortar      -mean_{b,c} w_c (2 sum PG + 1e-5) / max(sum G + sum P + 1e-5, 1e-8), the
//                   negative Dice in [-1, 0] with class_weights w (ones when absent; TopoMortar
//                   lib/losses.py _dice_loss);
//   seabird         1 - mean_c [sum_{b,space} 2PG / (sum_{b,space} (P + G) + 1e-5)]: batch and
//                   space pooled per class, no numerator smoothing (SeaBird loss_utils.py
//                   DiceLoss);
//   detr            logits x [N, ...], each row one mask: P = sigmoid(x) flattened per row,
//                   sum_n [1 - (2 sum PT + 1) / (sum P + sum T + 1)] / num_boxes (vidt
//                   methods/segmentation.py dice_loss).
// sfda, topomortar and seabird take probabilities (the caller applies softmax or sigmoid, as
// their references' callers do; values outside [0, 1] are an error), detr takes logits.
// Papers: "Source-Free Domain Adaptation for Image Segmentation"; "TopoMortar: A dataset to
// evaluate image segmentation methods focused on topology accuracy"; "SeaBird: Segmentation in
// Bird's View with Dice Loss Improves Monocular 3D Detection of Large Objects"; "An Extendable,
// Efficient and Effective Transformer-based Object Detector"; "Topologically faithful image
// segmentation via induced matching of persistence barcodes" (catalog: segmentation.md).
// Defaults: variant 'sfda', no class weights, idc all classes, num_boxes required for 'detr'.
// NOTE: the SFDA and SeaBird references cast to float32; lathe keeps the input dtype.
// Gradients (autograd): the quotient rule; the topomortar clamp at 1e-8 is inactive in
// practice. The target is a constant (detached). Composite; a scalar (own reduction).
#include <cmath>

#include "losses/segmentation/common.h"
#include "losses/segmentation/segmentation.h"
#include "ops/composite.h"

namespace lathe {

Tensor soft_dice_loss(const Tensor& input, const Tensor& target, const SoftDiceLossOptions& o) {
  const char* op = "soft_dice_loss";
  const std::string& v = o.variant;
  LATHE_CHECK(v == "sfda" || v == "topomortar" || v == "seabird" || v == "detr", "[", op,
              "] variant must be sfda, topomortar, seabird or detr, got '", v, "'");
  seg::check_dense(op, "input", input, v == "detr" ? 1 : 3);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  LATHE_CHECK(!o.class_weights.defined() || v == "topomortar", "[", op,
              "] class_weights apply to variant 'topomortar' only");
  LATHE_CHECK(o.idc.empty() || v == "sfda", "[", op, "] idc applies to variant 'sfda' only");
  LATHE_CHECK(v != "detr" || (std::isfinite(o.num_boxes) && o.num_boxes > 0.0), "[", op,
              "] variant 'detr' needs num_boxes > 0, got ", o.num_boxes);
  Tensor g = target.detach();
  if (v == "detr") {
    int64_t n = input.shape()[0];
    Tensor p = reshape(sigmoid(input), {n, input.numel() / n});            // [N, M]
    Tensor t = reshape(g, {n, input.numel() / n});                         // [N, M]
    Tensor l = 1.0 - (2.0 * sum(p * t, {1}) + 1.0) / (sum(p, {1}) + sum(t, {1}) + 1.0);
    return sum(l) / o.num_boxes;
  }
  seg::check_probabilities(op, "input", input);
  Axes ax = seg::spatial_axes(input);
  int64_t c = input.shape()[1];
  if (v == "topomortar") {
    if (o.class_weights.defined()) check_shape(op, "class_weights", o.class_weights, {c});
    return seg::negative_dice(input, g, o.class_weights);
  }
  if (v == "seabird") {
    Axes all = ax;
    all.insert(all.begin(), 0);
    Tensor dice = sum(2.0 * input * g, all) / (sum(input + g, all) + 1e-5);  // [C]
    return 1.0 - mean(dice);
  }
  Tensor p = input;
  if (!o.idc.empty()) {
    for (int64_t k : o.idc)
      LATHE_CHECK(k >= 0 && k < c, "[", op, "] idc holds class ", k, ", outside [0, ", c, ")");
    Tensor idx = from_vector(o.idc, {static_cast<int64_t>(o.idc.size())}, input.device());
    p = index_select(p, idx, 1);
    g = index_select(g, idx, 1);
  }
  Tensor num = 2.0 * sum(p * g, ax) + 1e-10;                                 // [B, C']
  return mean(1.0 - num / (sum(p, ax) + sum(g, ax) + 1e-10));
}

LATHE_REGISTER_OPS(soft_dice_loss) {
  registry.add(OpDef("soft_dice_loss", "segmentation")
                   .summary("soft Dice in the SFDA, TopoMortar, SeaBird and DETR forms")
                   .paper("Source-Free Domain Adaptation for Image Segmentation; TopoMortar: A "
                          "dataset to evaluate image segmentation methods focused on topology "
                          "accuracy; SeaBird: Segmentation in Bird's View with Dice Loss "
                          "Improves Monocular 3D Detection of Large Objects; An Extendable, "
                          "Efficient and Effective Transformer-based Object Detector")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .options<SoftDiceLossOptions>()
                   .input("class_weights", &SoftDiceLossOptions::class_weights, Kind::floating,
                          kOptional | kNoGrad)
                   .attr("variant", &SoftDiceLossOptions::variant,
                         "sfda | topomortar | seabird | detr (logits)")
                   .attr("idc", &SoftDiceLossOptions::idc, "sfda: classes kept (empty: all)")
                   .attr("num_boxes", &SoftDiceLossOptions::num_boxes,
                         "detr: the normalizer, required")
                   .own_reduction("one scalar, reduced as each variant's reference does")
                   .output("loss")
                   .run(soft_dice_loss));
}

}  // namespace lathe
