// Test cases for losses/regression/tals_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(tals_loss) {
  // errors of 0.1 per coordinate give e ~ c 0.02: thresholds 0.01 put keypoints on both sides
  add(Case("tals_loss").away("input", {2, 4, 2}, 0.02, 0.2)
          .values("target", {2, 4, 2}, std::vector<double>(16, 0.0))
          .in("conf", {2, 4}, 0.0, 1.0).values("thresh", {4}, {0.01, 0.005, 0.017, 0.01})
          .note("the catalog's example: errors 0.02..0.2, thresholds 0.005..0.017"));
  add(Case("tals_loss", "w1_mean").normal("input", {1, 3, 2}).normal("target", {1, 3, 2})
          .in("conf", {1, 3}, 0.5, 1.0).values("thresh", {3}, {0.1, 0.1, 0.1})
          .attr("w", 1.0).attr("reduction", "mean").note("w 1: plain confidence-weighted L1"));
  add(Case("tals_loss", "none").away("input", {2, 2, 2}, 0.05, 0.3)
          .values("target", {2, 2, 2}, std::vector<double>(8, 0.0))
          .values("conf", {2, 2}, {1, 0, 0.5, 1}).values("thresh", {2}, {0.02, 0.05})
          .attr("reduction", "none").note("a zero-confidence keypoint, reduction none"));
}
