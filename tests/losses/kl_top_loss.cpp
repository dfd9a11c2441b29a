// Test cases for losses/distill/kl_top_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(kl_top_loss) {
  add(Case("kl_top_loss").normal("input", {3, 8}).distinct("teacher", {3, 8}).attr("k", 3)
          .note("k 3 of V 8, full-vocabulary softmaxes"));
  add(Case("kl_top_loss", "renormalize").normal("input", {2, 2, 6})
          .distinct("teacher", {2, 2, 6}).attr("k", 2).attr("renormalize", true)
          .note("[2, 2, 6] tokens, k 2, renormalized over the k"));
  add(Case("kl_top_loss", "full").normal("input", {2, 5}).distinct("teacher", {2, 5})
          .attr("k", 5).note("k = V: the full KL"));
}
