// Test cases for losses/rl/dpo_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(dpo_loss) {
  auto logps = [](Case c, int64_t b) {
    return c.in("policy_chosen_logps", {b}, -6.0, -0.5).in("policy_rejected_logps", {b}, -6.0, -0.5)
        .in("reference_chosen_logps", {b}, -6.0, -0.5)
        .in("reference_rejected_logps", {b}, -6.0, -0.5);
  };
  add(logps(Case("dpo_loss"), 6).note("sigmoid, beta 0.1, mean over 6 pairs"));
  add(logps(Case("dpo_loss", "smoothing"), 6).attr("beta", 0.5).attr("label_smoothing", 0.2)
          .note("conservative DPO: label_smoothing 0.2, beta 0.5"));
  add(logps(Case("dpo_loss", "hinge"), 5).attr("loss_type", "hinge").attr("beta", 0.3)
          .attr("reduction", "none").note("hinge (SLiC) per pair"));
  add(logps(Case("dpo_loss", "ipo"), 5).attr("loss_type", "ipo").attr("reduction", "sum")
          .note("IPO squared loss, reduction sum"));
  add(logps(Case("dpo_loss", "reference_free"), 4).attr("reference_free", true).attr("beta", 1.0)
          .note("reference-free: the reference log-ratio is 0"));
  add(Case("dpo_loss", "saturated").values("policy_chosen_logps", {3}, {-1.0, -400.0, -2.0})
          .values("policy_rejected_logps", {3}, {-300.0, -1.0, -2.0})
          .values("reference_chosen_logps", {3}, {-2.0, -2.0, -2.0})
          .values("reference_rejected_logps", {3}, {-2.0, -2.0, -2.0}).attr("beta", 1.0)
          .oracle_only("large margins: finite values and gradients are the point")
          .note("margins of +-300 nats: log sigmoid stays finite"));
}
