// Test cases for losses/regression/cauchy_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(cauchy_loss) {
  add(Case("cauchy_loss").normal("input", {3, 8}).normal("target", {3, 8}).attr("c", 0.5)
          .note("[3,8], c 0.5"));
  add(Case("cauchy_loss", "none_3d").normal("input", {2, 3, 2}).normal("target", {2, 3, 2})
          .attr("c", 2.0).attr("reduction", "none").note("[2,3,2], c 2, reduction none"));
  add(Case("cauchy_loss", "outlier_sum")
          .values("input", {2, 2}, {100.0, -50.0, 0.1, 0.2})
          .values("target", {2, 2}, {0.0, 0.0, 0.1, 0.25}).attr("c", 0.3)
          .attr("reduction", "sum")
          .note("a residual of 100: bounded gradient; a near-equal sample, reduction sum"));
}
