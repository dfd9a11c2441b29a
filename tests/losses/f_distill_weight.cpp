// Test cases for losses/distill/f_distill_weight.cpp (conformance, oracle; detached: no
// gradient to check).
#include "tests/support/cases.h"

LATHE_CASES(f_distill_weight) {
  const char* why = "a detached weight: no gradient by definition";
  add(Case("f_distill_weight").no_gradcheck(why).normal("logit", {6}, 2.0)
          .note("Jensen-Shannon (the paper's best): sigmoid(d)"));
  for (const char* kind : {"reverse_kl", "softened_rkl", "hellinger", "forward_kl", "jeffreys"})
    add(Case("f_distill_weight", kind).no_gradcheck(why).normal("logit", {5}).attr("kind", kind)
            .note("one row of the paper's Table 1"));
  add(Case("f_distill_weight", "normalize").no_gradcheck(why).normal("logit", {4})
          .attr("kind", "forward_kl").attr("normalize", true).note("divided by the batch mean"));
  add(Case("f_distill_weight", "huge_logit").no_gradcheck(why)
          .values("logit", {3}, {100.0, -100.0, 0.0}).attr("kind", "jeffreys")
          .note("logit 100 clamped to 50 before exp: finite in f32"));
}
