// Test cases for losses/rl/simpo_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(simpo_loss) {
  add(Case("simpo_loss").in("policy_chosen_logps", {6}, -3.0, -0.2)
          .in("policy_rejected_logps", {6}, -3.0, -0.2)
          .note("average log-probabilities, beta 2, gamma/beta 0.25"));
  add(Case("simpo_loss", "smoothing").in("policy_chosen_logps", {5}, -3.0, -0.2)
          .in("policy_rejected_logps", {5}, -3.0, -0.2).attr("label_smoothing", 0.1)
          .attr("gamma_beta_ratio", 0.5).attr("reduction", "none")
          .note("label smoothing 0.1, margin 0.5, per pair"));
  add(Case("simpo_loss", "hinge").in("policy_chosen_logps", {5}, -3.0, -0.2)
          .in("policy_rejected_logps", {5}, -3.0, -0.2).attr("loss_type", "hinge")
          .attr("beta", 0.7).attr("reduction", "sum").note("hinge, beta 0.7, reduction sum"));
}
