// Test cases for losses/distill/w2s_logconf_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(w2s_logconf_loss) {
  add(Case("w2s_logconf_loss").distinct("logits", {8, 2}).probs("teacher", {8, 2})
          .note("after warm-up: coef = aux_coef 0.5; distinct p_0, none at the threshold"));
  add(Case("w2s_logconf_loss", "warmup").distinct("logits", {6, 2}).probs("teacher", {6, 2})
          .attr("step_frac", 0.05).note("warm-up: coef = 0.5 x 0.05"));
  add(Case("w2s_logconf_loss", "one_class").distinct("logits", {5, 2})
          .values("teacher", {5, 2}, {1, 0, 1, 0, 1, 0, 1, 0, 1, 0})
          .note("weak labels all class 0: the quantile at 0, every p_0 >= tau"));
}
