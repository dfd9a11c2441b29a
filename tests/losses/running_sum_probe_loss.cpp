// Test cases for losses/regression/running_sum_probe_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(running_sum_probe_loss) {
  // 23 x 14 (digits least significant first): running sums 12, 12, 3, 0 (running_sum_targets)
  add(Case("running_sum_probe_loss").normal("head_out", {1, 4, 2, 5}).normal("weight", {2, 5})
          .values("target", {1, 4}, {12, 12, 3, 0})
          .note("the catalog's example: 23 x 14, two heads of width 5"));
  add(Case("running_sum_probe_loss", "none").normal("head_out", {2, 3, 1, 4})
          .normal("weight", {1, 4}).in("target", {2, 3}, 0.0, 5.0).attr("reduction", "none")
          .note("one head, reduction none"));
  add(Case("running_sum_probe_loss", "sum").normal("head_out", {2, 2, 3, 2})
          .normal("weight", {3, 2}).in("target", {2, 2}, 0.0, 3.0).attr("reduction", "sum")
          .note("three heads, reduction sum"));
}
