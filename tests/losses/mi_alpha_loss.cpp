// Test cases for losses/distill/mi_alpha_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(mi_alpha_loss) {
  add(Case("mi_alpha_loss").normal("scores", {5, 5}).normal("log_baseline", {5})
          .note("alpha 0.5, K 5"));
  add(Case("mi_alpha_loss", "nwj").normal("scores", {4, 4}).normal("log_baseline", {4})
          .attr("alpha", 0.0).note("alpha 0: TUBA/NWJ with the baseline"));
  add(Case("mi_alpha_loss", "infonce").normal("scores", {4, 4}).normal("log_baseline", {4})
          .attr("alpha", 1.0).note("alpha 1: leave-one-out InfoNCE (the baseline unused)"));
  add(Case("mi_alpha_loss", "k2").normal("scores", {2, 2}).normal("log_baseline", {2})
          .attr("alpha", 0.3).note("K 2: one leave-one-out term"));
}
