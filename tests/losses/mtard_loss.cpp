// Test cases for losses/distill/mtard_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(mtard_loss) {
  add(Case("mtard_loss").normal("student_adv", {4, 5}).normal("teacher", {4, 5}, 2.0)
          .normal("student_nat", {4, 5}).normal("teacher_nat", {4, 5}, 2.0)
          .note("the initial state: tau 1, w 0.5 each"));
  add(Case("mtard_loss", "later_state").normal("student_adv", {3, 4}).normal("teacher", {3, 4})
          .normal("student_nat", {3, 4}).normal("teacher_nat", {3, 4}, 3.0)
          .attr("tau_adv", 1.3).attr("tau_nat", 2.5).attr("w_adv", 0.7).attr("w_nat", 0.3)
          .note("a later state: other temperatures and weights"));
}
