// Test cases for losses/distill/fitnet_hint_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(fitnet_hint_loss) {
  add(Case("fitnet_hint_loss").normal("student", {2, 3, 2, 2}).normal("teacher", {2, 4, 2, 2})
          .normal("weight", {4, 3}, 0.5).normal("bias", {4}, 0.1)
          .note("[B, C, H, W] features, 1x1 regressor [4, 3] + bias, mean"));
  add(Case("fitnet_hint_loss", "linear_sum").normal("student", {3, 5})
          .normal("teacher", {3, 2}).normal("weight", {2, 5}, 0.5).attr("reduction", "sum")
          .note("[B, D] embeddings, linear regressor without bias, sum"));
  add(Case("fitnet_hint_loss", "identity_none").normal("student", {2, 3, 2})
          .normal("teacher", {2, 3, 2}).attr("reduction", "none")
          .note("no regressor: plain squared error, none"));
}
