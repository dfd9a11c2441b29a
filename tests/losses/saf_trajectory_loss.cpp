// Test cases for losses/distill/saf_trajectory_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(saf_trajectory_loss) {
  add(Case("saf_trajectory_loss").normal("logits", {3, 5}, 2.0).normal("teacher", {3, 5}, 2.0)
          .index("target", {3}, 5).note("official lam 0.16, T 5"));
  add(Case("saf_trajectory_loss", "t1").normal("logits", {4, 4}).normal("teacher", {4, 4})
          .index("target", {4}, 4).attr("T", 1.0).attr("lam", 1.0).note("T 1, lam 1"));
}
