// Test cases for losses/distill/bdkd_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(bdkd_loss) {
  add(Case("bdkd_loss").normal("student", {4, 5}).normal("teacher", {4, 5}, 2.0)
          .index("target", {4}, 5).values("w_f", {4}, {1, 0, 1, 0.5})
          .values("w_r", {4}, {0, 1, 0, 0.5}).note("T 4, mixed 0/1 and half weights"));
  add(Case("bdkd_loss", "t1").normal("student", {3, 4}).normal("teacher", {3, 4})
          .index("target", {3}, 4).in("w_f", {3}, 0.0, 1.0).in("w_r", {3}, 0.0, 1.0)
          .attr("T", 1.0).note("T 1, weights in [0, 1]"));
  add(Case("bdkd_loss", "t8").normal("student", {3, 4}, 3.0).normal("teacher", {3, 4}, 3.0)
          .index("target", {3}, 4).in("w_f", {3}, 0.0, 1.0).in("w_r", {3}, 0.0, 1.0)
          .attr("T", 8.0).note("T 8"));
}
