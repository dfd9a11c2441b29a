// Test cases for losses/rl/orpo_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(orpo_loss) {
  add(Case("orpo_loss").in("policy_chosen_logps", {6}, -3.0, -0.05)
          .in("policy_rejected_logps", {6}, -3.0, -0.05)
          .note("average log-probabilities, beta 0.1, NLL = -chosen"));
  add(Case("orpo_loss", "nll").in("policy_chosen_logps", {5}, -3.0, -0.05)
          .in("policy_rejected_logps", {5}, -3.0, -0.05).in("chosen_nll", {5}, 0.1, 3.0)
          .attr("beta", 0.5).attr("reduction", "none")
          .note("given per-pair NLL, beta 0.5, per pair"));
  add(Case("orpo_loss", "nll_scalar").in("policy_chosen_logps", {4}, -2.0, -0.05)
          .in("policy_rejected_logps", {4}, -2.0, -0.05).in("chosen_nll", {}, 0.5, 2.0)
          .attr("reduction", "sum").note("one batch NLL broadcast, reduction sum"));
  add(Case("orpo_loss", "near_zero")
          .values("policy_chosen_logps", {3}, {-1e-3, -20.0, -0.5})
          .values("policy_rejected_logps", {3}, {-30.0, -2e-3, -0.5})
          .oracle_only("log-probabilities near 0 and very negative: the values are the point")
          .note("log(1 - exp(a)) near a = 0 (f32 without cancellation) and at -30"));
}
