// Test cases for losses/regression/pseudo_huber_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(pseudo_huber_loss) {
  add(Case("pseudo_huber_loss").normal("input", {3, 2, 2, 4}).normal("target", {3, 2, 2, 4})
          .note("[3,2,2,4], c = 0.00054 sqrt(16) by default"));
  add(Case("pseudo_huber_loss", "c_sum").normal("input", {4, 3}, 0.3).normal("target", {4, 3}, 0.3)
          .attr("c", 0.5).attr("reduction", "sum").note("c 0.5 of the residual's size, sum"));
  add(Case("pseudo_huber_loss", "d1_none").normal("input", {5}).normal("target", {5})
          .attr("c", 0.2).attr("reduction", "none").note("d = 1 per sample, reduction none"));
  add(Case("pseudo_huber_loss", "equal")
          .values("input", {2, 3}, {0.5, -1.0, 2.0, 0.25, 0.0, -0.75})
          .values("target", {2, 3}, {0.5, -1.0, 2.0, 0.3, 0.1, -0.7}).attr("c", 0.1)
          .note("first sample x = y: value 0, gradient 0 (smooth there for c > 0)"));
}
