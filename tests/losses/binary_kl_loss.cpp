// Test cases for losses/distill/binary_kl_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(binary_kl_loss) {
  add(Case("binary_kl_loss").normal("student", {4, 5}, 2.0).normal("teacher", {4, 5}, 2.0)
          .note("DHKD defaults: T 2, clamped sigmoids"));
  add(Case("binary_kl_loss", "logsigmoid_t1").normal("student", {3, 4})
          .normal("teacher", {3, 4}).attr("T", 1.0).attr("clamp", false)
          .note("clamp false (logsigmoid form), T 1"));
  add(Case("binary_kl_loss", "t8").normal("student", {2, 5}, 4.0).normal("teacher", {2, 5}, 4.0)
          .attr("T", 8.0).note("T 8"));
  add(Case("binary_kl_loss", "saturated").normal("student", {2, 3})
          .values("teacher", {2, 3}, {60.0, -60.0, 0.5, 0.0, 45.0, -45.0})
          .oracle_only("teacher sigmoids clamped at eps: the values are the point")
          .no_oracle_f32("1 - eps rounds to 1 in f32, so log(1 - q) is -inf there, as in "
                         "the reference")
          .note("teacher logits +-60, +-45: clamp active on the teacher"));
}
