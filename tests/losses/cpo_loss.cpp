// Test cases for losses/rl/cpo_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(cpo_loss) {
  add(Case("cpo_loss").in("policy_chosen_logps", {6}, -6.0, -0.5)
          .in("policy_rejected_logps", {6}, -6.0, -0.5)
          .note("sigmoid, beta 0.1, cpo_alpha 1, NLL = -chosen"));
  add(Case("cpo_loss", "nll").in("policy_chosen_logps", {5}, -6.0, -0.5)
          .in("policy_rejected_logps", {5}, -6.0, -0.5).in("chosen_nll", {}, 0.5, 2.0)
          .attr("cpo_alpha", 0.5).attr("label_smoothing", 0.1).attr("beta", 0.4)
          .note("batch NLL, cpo_alpha 0.5, label smoothing 0.1"));
  add(Case("cpo_loss", "hinge").in("policy_chosen_logps", {5}, -6.0, -0.5)
          .in("policy_rejected_logps", {5}, -6.0, -0.5).attr("loss_type", "hinge")
          .attr("reduction", "none").note("hinge per pair"));
  add(Case("cpo_loss", "ipo").in("policy_chosen_logps", {4}, -3.0, -0.5)
          .in("policy_rejected_logps", {4}, -3.0, -0.5).in("chosen_nll", {4}, 0.5, 2.0)
          .attr("loss_type", "ipo").attr("reduction", "sum").note("IPO, per-pair NLL, sum"));
}
