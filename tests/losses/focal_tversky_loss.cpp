// Test cases for losses/segmentation/focal_tversky_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(focal_tversky_loss) {
  add(Case("focal_tversky_loss").in("input", {2, 1, 3, 3}, 0.05, 0.95)
          .values("target", {2, 1, 3, 3},
                  {1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0})
          .note("probabilities [2,1,3,3], binary target, defaults"));
  add(Case("focal_tversky_loss", "multichannel").in("input", {1, 3, 2, 3}, 0.05, 0.95)
          .values("target", {1, 3, 2, 3}, {1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0})
          .attr("alpha", 0.3).attr("gamma", 2.0).attr("smooth", 0.5)
          .note("3 channels pooled, alpha 0.3, gamma 2, s 0.5"));
  add(Case("focal_tversky_loss", "empty_gt").in("input", {1, 1, 4, 4}, 0.05, 0.95)
          .values("target", {1, 1, 4, 4}, std::vector<double>(16, 0.0))
          .note("empty ground truth: TI = s / (FP + s)"));
}
