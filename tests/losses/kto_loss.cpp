// Test cases for losses/rl/kto_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(kto_loss) {
  add(Case("kto_loss").in("policy_chosen_logps", {4}, -6.0, -0.5)
          .in("policy_rejected_logps", {3}, -6.0, -0.5)
          .in("reference_chosen_logps", {4}, -6.0, -0.5)
          .in("reference_rejected_logps", {3}, -6.0, -0.5)
          .values("policy_kl_logps", {5}, {-2.0, -3.5, -1.0, -4.0, -2.5})
          .values("reference_kl_logps", {5}, {-2.5, -3.0, -1.5, -4.5, -3.0})
          .attr("beta", 0.5).note("4 desirable, 3 undesirable, KL reference point 0.3"));
  add(Case("kto_loss", "no_kl").in("policy_chosen_logps", {3}, -6.0, -0.5)
          .in("policy_rejected_logps", {4}, -6.0, -0.5)
          .in("reference_chosen_logps", {3}, -6.0, -0.5)
          .in("reference_rejected_logps", {4}, -6.0, -0.5).attr("desirable_weight", 1.33)
          .attr("undesirable_weight", 0.8).attr("reduction", "none")
          .note("no KL inputs (z_ref 0), class weights, per example"));
  add(Case("kto_loss", "kl_clamped").in("policy_chosen_logps", {2}, -6.0, -0.5)
          .in("policy_rejected_logps", {2}, -6.0, -0.5)
          .in("reference_chosen_logps", {2}, -6.0, -0.5)
          .in("reference_rejected_logps", {2}, -6.0, -0.5)
          .values("policy_kl_logps", {2}, {-3.0, -2.0})
          .values("reference_kl_logps", {2}, {-1.0, -1.5})
          .attr("reduction", "sum").note("a negative KL estimate clamps to 0, reduction sum"));
}
