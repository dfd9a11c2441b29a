// Test cases for losses/rl/superhf_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(superhf_loss) {
  add(Case("superhf_loss").normal("logits", {2, 4, 5}).normal("prior_logits", {2, 4, 5})
          .index("labels", {2, 4}, 5).note("no mask, beta 0.35"));
  add(Case("superhf_loss", "mask").normal("logits", {3, 3, 4}).normal("prior_logits", {3, 3, 4})
          .index("labels", {3, 3}, 4)
          .values("mask", {3, 3}, {0, 1, 1, 1, 1, 1, 0, 0, 0}, lathe::DType::boolean)
          .attr("beta", 0.5).note("prompt positions masked; sample 2 empty (no KL)"));
  add(Case("superhf_loss", "inv_c").normal("logits", {2, 3, 4}).normal("prior_logits", {2, 3, 4})
          .index("labels", {2, 3}, 4).attr("inv_c", 0.3).attr("beta", 0.1)
          .note("inverse-loss regularizer CE + 0.3 / CE"));
}
