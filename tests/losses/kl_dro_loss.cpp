// Test cases for losses/robust/kl_dro_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(kl_dro_loss) {
  add(Case("kl_dro_loss").in("losses", {7}, 0.0, 1.0).attr("r", 0.5)
          .note("seven sample losses in [0, 1], r 0.5"));
  add(Case("kl_dro_loss", "r_small").in("losses", {6}, 0.0, 3.0).attr("r", 0.05)
          .note("r 0.05: close to the max"));
  add(Case("kl_dro_loss", "n1").values("losses", {1}, {0.8}).attr("r", 2.0)
          .note("n = 1 returns the loss itself"));
}
