// Test cases for losses/lm/tempnet_dro_ce_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(tempnet_dro_ce_loss) {
  add(Case("tempnet_dro_ce_loss").normal("input", {5, 12}, 2.0).index("target", {5}, 12)
          .in("tau", {5, 1}, 0.5, 5.0).note("the catalog's example: K 12, tau in [0.5, 5], rho 8"));
  add(Case("tempnet_dro_ce_loss", "rho1_none").normal("input", {3, 4}).index("target", {3}, 4)
          .in("tau", {3, 1}, 0.5, 2.0).attr("rho", 1.0).attr("reduction", "none")
          .note("the function's rho 1, reduction none"));
  add(Case("tempnet_dro_ce_loss", "sum").normal("input", {4, 6}).index("target", {4}, 6)
          .in("tau", {4, 1}, 0.5, 5.0).attr("rho", 10.0).attr("reduction", "sum")
          .note("LLaMA's rho 10, reduction sum"));
}
