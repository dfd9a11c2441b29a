// Test cases for losses/generative/mam_self_consistency_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(mam_self_consistency_loss) {
  add(Case("mam_self_consistency_loss").normal("logp_prefix", {5}).normal("logp_cond", {5})
          .normal("logp_extended", {5}).note("the plain penalty mean r^2 over 5 samples"));
  add(Case("mam_self_consistency_loss", "training").normal("logp_prefix", {5})
          .normal("logp_cond", {5}).normal("logp_extended", {5}).normal("logp_empty", {1})
          .attr("num_vars", 7).note("D = 7 and the empty marginal pinned to 0"));
  add(Case("mam_self_consistency_loss", "scaled").normal("logp_prefix", {3})
          .normal("logp_cond", {3}).normal("logp_extended", {3}).attr("num_vars", 4)
          .note("D = 4 without the empty term"));
}
