// Test cases for losses/regression/binary_kl_regression_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(binary_kl_regression_loss) {
  add(Case("binary_kl_regression_loss").normal("input", {6})
          .values("target", {6}, {0.0, 0.3, 1.0, 0.8, 0.5, 0.1}).normal("xi", {6}, 0.01)
          .note("rewards with r = 0 and 1 (entropy 0), small perturbations"));
  add(Case("binary_kl_regression_loss", "squared").normal("input", {2, 3})
          .in("target", {2, 3}, 0.0, 1.0).normal("xi", {2, 3}, 0.05).attr("variant", "squared")
          .attr("reduction", "sum").note("squared variant, reduction sum"));
  add(Case("binary_kl_regression_loss", "none").normal("input", {4}, 3.0)
          .in("target", {4}, 0.0, 1.0).normal("xi", {4}, 0.01).attr("reduction", "none")
          .note("kl, logits of scale 3, reduction none"));
}
