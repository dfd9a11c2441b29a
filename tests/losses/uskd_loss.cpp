// Test cases for losses/distill/uskd_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(uskd_loss) {
  const char* why = "p_t and the Zipf labels are detached functions of the logits (the "
                    "defined backward, compared with the oracle's autograd)";
  add(Case("uskd_loss").normal("student", {4, 6}).normal("weak_logits", {4, 6})
          .index("target", {4}, 6).no_gradcheck(why).note("defaults, N 4, C 6"));
  add(Case("uskd_loss", "weights").normal("student", {3, 5}, 2.0).normal("weak_logits", {3, 5})
          .index("target", {3}, 5).attr("alpha", 0.5).attr("beta", 1.0).attr("mu", 0.1)
          .no_gradcheck(why).note("alpha 0.5, beta 1, mu 0.1"));
  add(Case("uskd_loss", "two_classes").normal("student", {3, 2}).normal("weak_logits", {3, 2})
          .index("target", {3}, 2).no_gradcheck(why).note("C 2: one non-target class"));
}
