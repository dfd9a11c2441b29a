// Test cases for losses/regression/huber_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(huber_loss) {
  add(Case("huber_loss").values("input", {2, 3}, {-2.5, -0.6, -0.1, 0.3, 0.7, 2.2})
          .values("target", {2, 3}, {0.1, 0.2, 0.3, -1.0, 0.5, 0.4})
          .note("|d| on both sides of delta 1 (kept 0.2 away from it)"));
  add(Case("huber_loss", "delta_sum").values("input", {6}, {-2.5, -0.6, -0.1, 0.3, 0.7, 2.2})
          .values("target", {6}, {0.0, 0.4, 0.1, -0.2, 0.0, 1.0}).attr("delta", 0.6)
          .attr("reduction", "sum").note("delta 0.6, reduction sum"));
  add(Case("huber_loss", "none").normal("input", {3, 4}, 3.0).normal("target", {3, 4})
          .attr("delta", 2.0).attr("reduction", "none")
          .note("delta 2, reduction none, random residuals"));
  add(Case("huber_loss", "at_delta").values("input", {3}, {1.0, -0.5, 0.0})
          .values("target", {3}, {0.0, 0.0, 0.0}).attr("delta", 0.6)
          .at_kink("|d| = delta: the second derivative jumps there")
          .note("residuals exactly at +-delta and 0"));
}
