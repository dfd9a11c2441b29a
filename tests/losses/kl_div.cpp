// Test cases for losses/classification/kl_div.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(kl_div) {
  add(Case("kl_div").normal("input", {4, 3}).probs("target", {4, 3})
          .note("log-probabilities against probabilities, reduction mean (every element)"));
  add(Case("kl_div", "batchmean").normal("input", {4, 5}).probs("target", {4, 5})
          .attr("reduction", "batchmean").note("reduction batchmean: sum / batch size"));
  add(Case("kl_div", "log_target_sum").normal("input", {3, 4}).normal("target", {3, 4})
          .attr("log_target", true).attr("reduction", "sum")
          .note("log_target: exp(t) (t - x), reduction sum"));
  add(Case("kl_div", "none").normal("input", {2, 3, 2}).in("target", {2, 3, 2}, 0.1, 1.0)
          .attr("reduction", "none").note("reduction none, unnormalised positive targets"));
  add(Case("kl_div", "zero_target").normal("input", {2, 3})
          .values("target", {2, 3}, {0.0, 0.5, 0.5, 0.25, 0.0, 0.75})
          .attr("reduction", "batchmean")
          .no_gradcheck("t = 0: the target's derivative log t + 1 - x is -inf there")
          .no_oracle("PyTorch's xlogy gives the target a NaN gradient at t = 0; lathe gives -x "
                     "(tests/losses/parity_test.cpp checks the value and the gradients)")
          .note("targets of exactly 0 contribute 0 (xlogy)"));
}
