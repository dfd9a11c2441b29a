// Test cases for losses/regression/uao_uncertainty_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(uao_uncertainty_loss) {
  add(Case("uao_uncertainty_loss").normal("input", {2, 5, 3}).normal("target", {2, 5, 3})
          .normal("log_sigma", {2, 5, 1}).note("the catalog's example shapes: [2,5,3] joints"));
  add(Case("uao_uncertainty_loss", "none").normal("input", {4, 3}).normal("target", {4, 3})
          .in("log_sigma", {4, 1}, -3.0, 3.0).attr("reduction", "none")
          .note("[4,3] joints, log-uncertainties in [-3, 3], reduction none"));
  add(Case("uao_uncertainty_loss", "equal_joint")
          .values("input", {2, 3}, {0.5, -1.0, 2.0, 0.1, 0.2, 0.3})
          .values("target", {2, 3}, {0.5, -1.0, 2.0, 0.4, -0.2, 0.3})
          .values("log_sigma", {2, 1}, {0.3, -0.5}).attr("reduction", "sum")
          .at_kink("a joint equal to its target: the norm's kink, subgradient 0")
          .note("one joint on its target (subgradient 0), reduction sum"));
}
