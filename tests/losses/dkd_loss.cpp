// Test cases for losses/distill/dkd_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(dkd_loss) {
  add(Case("dkd_loss").normal("student", {4, 5}).normal("teacher", {4, 5}, 2.0)
          .index("target", {4}, 5).note("mdistiller defaults: alpha 1, beta 8, T 4"));
  add(Case("dkd_loss", "t1").normal("student", {3, 6}).normal("teacher", {3, 6})
          .index("target", {3}, 6).attr("temperature", 1.0).attr("alpha", 0.5)
          .attr("beta", 2.0).note("T 1, alpha 0.5, beta 2"));
  add(Case("dkd_loss", "t8").normal("student", {4, 4}, 3.0).normal("teacher", {4, 4}, 3.0)
          .index("target", {4}, 4).attr("temperature", 8.0).note("T 8"));
  add(Case("dkd_loss", "two_classes").normal("student", {3, 2}).normal("teacher", {3, 2})
          .index("target", {3}, 2).note("C 2: one non-target class, NCKD is 0"));
  add(Case("dkd_loss", "extreme_teacher")
          .normal("student", {2, 3})
          .values("teacher", {2, 3}, {1e4, 0.0, -1e4, 0.0, 0.0, 0.0})
          .values("target", {2}, {0, 2}, DType::i64).attr("temperature", 1.0)
          .oracle_only("the basic cases gradcheck the student; here the values are the point")
          .note("teacher logits +-1e4: a confident target, 1 - p_y underflows in mdistiller"));
}
