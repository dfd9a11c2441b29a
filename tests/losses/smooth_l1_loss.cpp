// Test cases for losses/regression/smooth_l1_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(smooth_l1_loss) {
  add(Case("smooth_l1_loss").values("input", {2, 3}, {-2.5, -0.6, -0.1, 0.3, 0.7, 2.2})
          .values("target", {2, 3}, {0.1, 0.2, 0.3, -1.0, 0.5, 0.4})
          .note("|d| on both sides of beta 1"));
  add(Case("smooth_l1_loss", "beta_sum").values("input", {6}, {-2.5, -0.6, -0.1, 0.3, 0.7, 2.2})
          .values("target", {6}, {0.0, 0.4, 0.1, -0.2, 0.0, 1.0}).attr("beta", 0.6)
          .attr("reduction", "sum").note("beta 0.6, reduction sum"));
  add(Case("smooth_l1_loss", "beta0").away("input", {3, 4}).attr("beta", 0.0)
          .values("target", {3, 4}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
          .attr("reduction", "none").note("beta 0 is l1_loss (residuals away from 0)"));
  add(Case("smooth_l1_loss", "none").normal("input", {3, 4}, 3.0).normal("target", {3, 4})
          .attr("beta", 2.0).attr("reduction", "none")
          .note("beta 2, reduction none, random residuals"));
}
