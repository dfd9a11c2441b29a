// Test cases for losses/rl/dynamic_anchor_kl.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(dynamic_anchor_kl) {
  add(Case("dynamic_anchor_kl").normal("logits", {2, 3, 4}).normal("anchor_logits", {2, 3, 4})
          .values("step", {}, {3}).attr("every", 5).attr("beta", 0.1)
          .note("between refreshes (step 3, every 5): KL to the given anchor"));
  add(Case("dynamic_anchor_kl", "mask").normal("logits", {2, 4, 3})
          .normal("anchor_logits", {2, 4, 3}).mask("mask", {2, 4}).values("step", {}, {7})
          .attr("every", 100).note("response mask, default beta"));
  add(Case("dynamic_anchor_kl", "refresh").normal("logits", {2, 2, 5})
          .normal("anchor_logits", {2, 2, 5}).values("step", {}, {10}).attr("every", 5)
          .note("refresh step (10 % 5 == 0): the anchor is the policy, loss and gradient 0"));
}
