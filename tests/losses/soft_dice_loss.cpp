// Test cases for losses/segmentation/soft_dice_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(soft_dice_loss) {
  // One-hot [B, C, S] (S spatial positions) of labels [B, S], as a value list.
  auto onehot = [](const std::vector<int>& labels, int64_t b, int64_t c) {
    int64_t s = static_cast<int64_t>(labels.size()) / b;
    std::vector<double> v(static_cast<size_t>(b * c * s), 0.0);
    for (int64_t i = 0; i < b; ++i)
      for (int64_t j = 0; j < s; ++j)
        v[static_cast<size_t>((i * c + labels[i * s + j]) * s + j)] = 1;
    return v;
  };
  // labels of two 3x3 images over 3 classes; class 2 is absent from the second image
  std::vector<int> lab = {0, 1, 1, 2, 0, 1, 0, 2, 2, 1, 0, 0, 1, 1, 0, 0, 1, 0};
  add(Case("soft_dice_loss").in("input", {2, 3, 3, 3}, 0.05, 0.95)
          .values("target", {2, 3, 3, 3}, onehot(lab, 2, 3))
          .note("sfda: probabilities [2,3,3,3], one-hot target, class 2 absent in image 1"));
  add(Case("soft_dice_loss", "sfda_idc").in("input", {2, 3, 3, 3}, 0.05, 0.95)
          .in("target", {2, 3, 3, 3}, 0.0, 1.0)
          .attr("idc", AttrValue(std::vector<int64_t>{2, 1}))
          .note("sfda on classes [2, 1] only, soft target"));
  add(Case("soft_dice_loss", "sfda_3d").in("input", {1, 2, 2, 3, 3}, 0.05, 0.95)
          .in("target", {1, 2, 2, 3, 3}, 0.0, 1.0).note("sfda on a 3-D volume [1,2,2,3,3]"));
  add(Case("soft_dice_loss", "topomortar").in("input", {2, 3, 3, 3}, 0.05, 0.95)
          .values("target", {2, 3, 3, 3}, onehot(lab, 2, 3))
          .values("class_weights", {3}, {0.5, 2.0, 0.0})
          .attr("variant", "topomortar").note("negative Dice, class weights with a zero"));
  add(Case("soft_dice_loss", "topomortar_ones").in("input", {2, 2, 4}, 0.05, 0.95)
          .in("target", {2, 2, 4}, 0.0, 1.0).attr("variant", "topomortar")
          .note("negative Dice without weights (ones), 1-D spatial"));
  add(Case("soft_dice_loss", "seabird").in("input", {2, 3, 3, 3}, 0.05, 0.95)
          .values("target", {2, 3, 3, 3}, onehot(lab, 2, 3)).attr("variant", "seabird")
          .note("seabird: batch and space pooled per class"));
  add(Case("soft_dice_loss", "detr").normal("input", {3, 4, 4})
          .in("target", {3, 4, 4}, 0.0, 1.0).attr("variant", "detr").attr("num_boxes", 2.0)
          .note("detr: logits of 3 masks, soft targets, num_boxes 2"));
  add(Case("soft_dice_loss", "empty_fg").in("input", {1, 2, 2, 2}, 0.05, 0.95)
          .values("target", {1, 2, 2, 2}, {1, 1, 1, 1, 0, 0, 0, 0})
          .note("sfda, empty ground truth for class 1 (its Dice is 1 - 1e-10/(sum P + 1e-10))"));
  add(Case("soft_dice_loss", "zero_pred").values("input", {1, 2, 2, 2}, {1, 1, 1, 1, 0, 0, 0, 0})
          .values("target", {1, 2, 2, 2}, {1, 1, 1, 1, 0, 0, 0, 0})
          .at_kink("sum P = 0 on class 1: the 1e-10 smoothing puts the derivative at 1e10")
          .note("perfect prediction with an all-zero class: both smoothings give 0 loss there"));
  add(Case("soft_dice_loss", "one_pixel").in("input", {1, 2, 5, 5}, 0.05, 0.95)
          .values("target", {1, 2, 5, 5},
                  {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                   0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
          .attr("variant", "topomortar").note("a one-pixel object in a 5x5 image"));
}
