// Test cases for losses/classification/fedld_marginal_log_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(fedld_marginal_log_loss) {
  add(Case("fedld_marginal_log_loss").normal("input", {5, 4}).index("target", {5}, 4)
          .note("[5,4], lambda 0.03"));
  add(Case("fedld_marginal_log_loss", "b1_lam1").normal("input", {1, 3}, 4.0)
          .index("target", {1}, 3).attr("lam", 1.0)
          .note("B = 1, near one-hot softmax, lambda 1"));
}
