// Test cases for losses/distill/gpg_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(gpg_loss) {
  add(Case("gpg_loss").normal("student", {4, 5}).normal("teacher", {4, 5}, 2.0)
          .index("target", {4}, 5).note("defaults: alpha 0.5, T 1"));
  add(Case("gpg_loss", "t8").normal("student", {3, 6}, 3.0).normal("teacher", {3, 6}, 3.0)
          .index("target", {3}, 6).attr("T", 8.0).attr("alpha", 0.8).note("T 8, alpha 0.8"));
  add(Case("gpg_loss", "ce_only").normal("student", {3, 4}).normal("teacher", {3, 4})
          .index("target", {3}, 4).attr("alpha", 0.0).note("alpha 0: CE only"));
}
