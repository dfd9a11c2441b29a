// Test cases for losses/lm/tempnet_head.cpp (gradcheck, conformance, oracle). Eval mode: the
// dropout case is a unit test (tests/losses/lm_more_test.cpp).
#include "tests/support/cases.h"

LATHE_CASES(tempnet_head) {
  add(Case("tempnet_head").normal("logits", {4, 6}).normal("w1", {5, 6}, 0.5)
          .normal("b1", {5}, 0.5).normal("w2", {5, 5}, 0.5).normal("b2", {5}, 0.5)
          .normal("w3", {1, 5}).normal("b3", {1}).normal("s", {1}, 0.3)
          .note("K 6, hidden 5, eval mode: tau in (0.5, 5)"));
  add(Case("tempnet_head", "range").normal("logits", {3, 4}, 3.0).normal("w1", {3, 4})
          .normal("b1", {3}).normal("w2", {3, 3}).normal("b2", {3}).normal("w3", {1, 3}, 2.0)
          .normal("b3", {1}).normal("s", {1}).attr("tau_min", 0.1).attr("tau_max", 2.0)
          .note("tau_min 0.1, tau_max 2"));
}
