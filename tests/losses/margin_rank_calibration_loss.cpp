// Test cases for losses/lm/margin_rank_calibration_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(margin_rank_calibration_loss) {
  add(Case("margin_rank_calibration_loss").distinct("scores", {2, 4}).attr("margin", 0.01)
          .note("two sources, four candidates, margin 0.01"));
  add(Case("margin_rank_calibration_loss", "gold").distinct("scores", {3, 3})
          .in("gold_scores", {3}, -0.5, 0.5).note("reference_status ensure: gold scores"));
  add(Case("margin_rank_calibration_loss", "m1").normal("scores", {3, 1})
          .note("one candidate per source: 0"));
}
