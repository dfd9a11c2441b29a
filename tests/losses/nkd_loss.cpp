// Test cases for losses/distill/nkd_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(nkd_loss) {
  add(Case("nkd_loss").normal("student", {4, 6}).normal("teacher", {4, 6}, 2.0)
          .index("target", {4}, 6).note("defaults: temp 1, gamma 1.5"));
  add(Case("nkd_loss", "temp8").normal("student", {3, 5}, 3.0).normal("teacher", {3, 5}, 3.0)
          .index("target", {3}, 5).attr("temp", 8.0).attr("gamma", 1.0).note("temp 8"));
  add(Case("nkd_loss", "soft_labels").normal("student", {3, 4}).normal("teacher", {3, 4})
          .values("target", {3, 4}, {0.1, 0.7, 0.1, 0.1, 0.6, 0.2, 0.1, 0.1, 0, 0, 0.2, 0.8})
          .attr("temp", 2.0).note("soft labels [B, C], reduced to their argmax (1, 0, 3)"));
  add(Case("nkd_loss", "two_classes").normal("student", {3, 2}).normal("teacher", {3, 2})
          .index("target", {3}, 2).note("C 2: one non-target class, L_nt = 0"));
}
