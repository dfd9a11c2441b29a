// Test cases for losses/distill/kd_kl_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(kd_kl_loss) {
  add(Case("kd_kl_loss").normal("student", {4, 5}).normal("teacher", {4, 5}, 2.0)
          .note("T 4 (batchmean), student and teacher [4,5]"));
  add(Case("kd_kl_loss", "t1").normal("student", {3, 4}).normal("teacher", {3, 4})
          .attr("temperature", 1.0).note("T 1"));
  add(Case("kd_kl_loss", "extreme_teacher")
          .normal("student", {2, 3})
          .values("teacher", {2, 3}, {1e4, 0.0, -1e4, 0.0, 0.0, 0.0})
          .attr("temperature", 1.0)
          .oracle_only("the basic cases gradcheck the student; here the values are the point")
          .note("teacher logits +-1e4: p^t has exact zeros"));
  add(Case("kd_kl_loss", "elementwise").normal("student", {3, 6}).normal("teacher", {3, 4})
          .attr("variant", "elementwise")
          .note("student [3,6] (first 4 classes used), teacher [3,4]"));
  add(Case("kd_kl_loss", "cls_kd").normal("student", {4, 5}).normal("teacher", {4, 5})
          .index("labels", {4}, 5).attr("variant", "cls_kd").attr("alpha", 0.3)
          .note("alpha 0.3 plus the student's cross-entropy"));
}
