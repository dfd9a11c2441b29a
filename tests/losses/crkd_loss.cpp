// Test cases for losses/distill/crkd_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(crkd_loss) {
  add(Case("crkd_loss").normal("teacher", {2, 2, 3, 3}).normal("student", {2, 2, 3, 5})
          .note("tau 0.1, T 4: 2 views, 2 heads, 3 samples, 3 known of 5 classes, mean "
                "over heads"));
  add(Case("crkd_loss", "one_head").normal("teacher", {1, 1, 4, 2}, 2.0)
          .normal("student", {1, 1, 4, 6}, 2.0).attr("n_lab", 2).attr("T", 1.0)
          .attr("tau", 0.5).attr("reduction", "sum")
          .note("a single head, n_lab given, T 1, tau 0.5, sum"));
  add(Case("crkd_loss", "all_known").normal("teacher", {1, 2, 3, 4})
          .normal("student", {1, 2, 3, 4}).attr("reduction", "none")
          .note("every class known: w = 1 after normalizing; per head (none)"));
}
