// Test cases for losses/distill/w2s_product_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(w2s_product_loss) {
  const char* why = "q is a detached function of the logits: the defined backward is CE's "
                    "with q fixed (tests/losses/distill_test.cpp checks it)";
  add(Case("w2s_product_loss").normal("logits", {6, 2}).probs("teacher", {6, 2})
          .no_gradcheck(why).note("binary, alpha = beta = 1"));
  add(Case("w2s_product_loss", "exponents").normal("logits", {4, 3}).probs("teacher", {4, 3})
          .attr("alpha", 0.5).attr("beta", 2.0).no_gradcheck(why)
          .note("alpha 0.5, beta 2, 3 classes"));
  add(Case("w2s_product_loss", "zero_weak").normal("logits", {2, 3})
          .values("teacher", {2, 3}, {0.0, 0.3, 0.7, 0.5, 0.5, 0.0}).no_gradcheck(why)
          .note("weak labels with exact zeros: q is 0 there"));
  add(Case("w2s_product_loss", "uniform").normal("logits", {3, 3}).probs("teacher", {3, 3})
          .attr("alpha", 0.0).attr("beta", 0.0)
          .note("alpha = beta = 0: a constant uniform target, so the true derivative"));
}
