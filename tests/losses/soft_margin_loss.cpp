// Test cases for losses/classification/soft_margin_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(soft_margin_loss) {
  add(Case("soft_margin_loss").normal("input", {4, 3})
          .values("target", {4, 3}, {1, -1, 1, 1, -1, -1, 1, -1, 1, -1, 1, 1})
          .note("scores [4,3] against labels +-1"));
  add(Case("soft_margin_loss", "none").normal("input", {6}, 3.0)
          .values("target", {6}, {-1, -1, 1, 1, -1, 1}).attr("reduction", "none")
          .note("reduction none"));
  add(Case("soft_margin_loss", "saturated").values("input", {4}, {30.0, -30.0, 30.0, -30.0})
          .values("target", {4}, {1, 1, -1, -1}).attr("reduction", "sum")
          .note("|y x| = 30: 1e-13 and 30, both sides"));
}
