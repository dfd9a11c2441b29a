// Test cases for losses/classification/dequity_focal_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(dequity_focal_loss) {
  add(Case("dequity_focal_loss").in("losses", {6}, 0.0, 2.0).in("likelihood", {6}, 0.05, 1.0)
          .attr("eta", 0.5).note("the catalog's example: eta 0.5, gamma 5"));
  add(Case("dequity_focal_loss", "defaults_sum").in("losses", {5}, 0.0, 2.0)
          .values("likelihood", {5}, {1.0, 0.5, 0.1, 0.9, 0.01}).attr("reduction", "sum")
          .note("eta 1, gamma 5; likelihood 1 (weight eta/(eta+1)) and near 0 (weight ~1)"));
  add(Case("dequity_focal_loss", "gamma0_none").in("losses", {2, 3}, 0.0, 2.0)
          .in("likelihood", {2, 3}, 0.1, 1.0).attr("gamma", 0.0).attr("reduction", "none")
          .note("gamma 0: weight 1, reduction none"));
}
