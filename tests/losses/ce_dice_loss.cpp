// Test cases for losses/segmentation/ce_dice_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(ce_dice_loss) {
  auto onehot = [](const std::vector<int>& labels, int64_t b, int64_t c) {
    int64_t s = static_cast<int64_t>(labels.size()) / b;
    std::vector<double> v(static_cast<size_t>(b * c * s), 0.0);
    for (int64_t i = 0; i < b; ++i)
      for (int64_t j = 0; j < s; ++j)
        v[static_cast<size_t>((i * c + labels[i * s + j]) * s + j)] = 1;
    return v;
  };
  std::vector<int> lab = {0, 1, 1, 2, 0, 1, 0, 2, 2, 1, 0, 0, 1, 1, 0, 0, 1, 0};
  add(Case("ce_dice_loss").normal("input", {2, 3, 3, 3})
          .values("target", {2, 3, 3, 3}, onehot(lab, 2, 3))
          .note("logits [2,3,3,3], one-hot target, class 2 absent from image 1"));
  add(Case("ce_dice_loss", "weighted").normal("input", {2, 3, 3, 3})
          .values("target", {2, 3, 3, 3}, onehot(lab, 2, 3))
          .values("weight", {3}, {0.2, 1.0, 3.0}).attr("lam_ce", 0.5).attr("lam_dice", 2.0)
          .note("class weights [0.2, 1, 3], lam_ce 0.5, lam_dice 2"));
  add(Case("ce_dice_loss", "single_class").normal("input", {2, 1, 2, 3})
          .values("target", {2, 1, 2, 3}, std::vector<double>(12, 1.0))
          .oracle_only("one class: softmax is 1 everywhere, the loss is constant")
          .note("a single class: p = 1, dice -1, ce 0"));
  add(Case("ce_dice_loss", "saturated").values("input", {1, 2, 1, 2}, {40.0, -40.0, -40.0, 40.0})
          .values("target", {1, 2, 1, 2}, {0, 1, 1, 0})
          .oracle_only("p -> 0 on the target: the 1e-15 caps the log")
          .note("every pixel confidently wrong: CE capped by log(1e-15)"));
  add(Case("ce_dice_loss", "soft_3d").normal("input", {1, 2, 2, 2, 3})
          .in("target", {1, 2, 2, 2, 3}, 0.0, 1.0).note("3-D logits, soft target"));
}
