// Test cases for losses/classification/sigmoid_focal_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(sigmoid_focal_loss) {
  add(Case("sigmoid_focal_loss").normal("input", {4, 3}).in("target", {4, 3}, 0.0, 1.0)
          .note("logits [4,3], soft targets, alpha 0.25, gamma 2, reduction none"));
  add(Case("sigmoid_focal_loss", "hard_mean").normal("input", {2, 5})
          .values("target", {2, 5}, {1, 0, 0, 1, 0, 0, 0, 1, 0, 0}).attr("reduction", "mean")
          .note("hard 0/1 targets, reduction mean"));
  add(Case("sigmoid_focal_loss", "num_boxes").normal("input", {2, 7, 3})
          .values("target", {2, 7, 3}, {0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
                                        0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0,
                                        0, 0, 0, 0, 0, 1})
          .attr("num_boxes", 3.0)
          .note("DETR form: loss.mean(1).sum() / num_boxes, num_boxes 3"));
  add(Case("sigmoid_focal_loss", "background_one_box").normal("input", {2, 4, 2})
          .values("target", {2, 4, 2}, std::vector<double>(16, 0.0)).attr("num_boxes", 1.0)
          .note("all-background targets, num_boxes 1"));
  add(Case("sigmoid_focal_loss", "no_alpha_sum").normal("input", {3, 4})
          .in("target", {3, 4}, 0.0, 1.0).attr("alpha", -1.0).attr("gamma", 1.5)
          .attr("reduction", "sum")
          .note("alpha < 0 disables the weighting, gamma 1.5, reduction sum"));
  add(Case("sigmoid_focal_loss", "extreme")
          .values("input", {2, 3}, {1e4, -1e4, 30.0, -1e4, 1e4, -30.0})
          .values("target", {2, 3}, {1, 0, 1, 1, 0, 0.25}).attr("reduction", "sum")
          .oracle_only("saturated logits: the values are the point, not the derivative")
          .note("logits of +-1e4 and +-30: finite, no overflow"));
}
