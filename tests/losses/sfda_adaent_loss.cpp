// Test cases for losses/segmentation/sfda_adaent_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(sfda_adaent_loss) {
  add(Case("sfda_adaent_loss").in("input", {2, 2, 3, 3}, 0.05, 0.95)
          .values("prior", {2, 2}, {0.8, 0.2, 0.7, 0.3}).values("weight", {2}, {0.1, 0.9})
          .note("probabilities [2,2,3,3], prostate weights [0.1, 0.9]"));
  add(Case("sfda_adaent_loss", "power2").in("input", {1, 3, 2, 3}, 0.05, 0.95)
          .values("prior", {1, 3}, {0.5, 0.5, 0.0}).values("weight", {3}, {1.0, 0.5, 2.0})
          .attr("power", 2.0).attr("lam_se", 0.5).attr("lam_prior", 2.0)
          .note("power 2, a prior with an exact zero, lam_se 0.5, lam_prior 2"));
}
