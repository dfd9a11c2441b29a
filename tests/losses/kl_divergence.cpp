// Test cases for losses/divergence/kl_divergence.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(kl_divergence) {
  add(Case("kl_divergence").normal("input", {4, 5}).probs("target", {4, 5})
          .note("log q [4,5] against probabilities p, reduction batchmean"));
  add(Case("kl_divergence", "mean").normal("input", {4, 5}).probs("target", {4, 5})
          .attr("reduction", "mean").note("reduction mean: over every element (B C)"));
  add(Case("kl_divergence", "sum_3d").normal("input", {2, 3, 4}).probs("target", {2, 3, 4})
          .attr("reduction", "sum").note("[2,3,4], reduction sum"));
  add(Case("kl_divergence", "symmetric").normal("input", {3, 4}).probs("target", {3, 4})
          .attr("symmetric", true).note("KL(p || q) + KL(q || p), batchmean"));
  add(Case("kl_divergence", "log_target_sym").normal("input", {3, 4})
          .in("target", {3, 4}, -3.0, -0.2).attr("log_target", true).attr("symmetric", true)
          .attr("reduction", "none").note("target holds log p, symmetric, reduction none"));
  add(Case("kl_divergence", "zero_target").normal("input", {2, 3})
          .values("target", {2, 3}, {0.0, 0.5, 0.5, 0.25, 0.0, 0.75})
          .no_gradcheck("p = 0: the target's derivative log p + 1 - log q is -inf there")
          .no_oracle("PyTorch's xlogy gives p a NaN gradient at p = 0; lathe gives -log q "
                     "(tests/losses/divergence_test.cpp checks the value)")
          .note("p with exact zeros: those terms are 0"));
}
