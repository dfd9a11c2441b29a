// Test cases for losses/entropy/prediction_entropy.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(prediction_entropy) {
  add(Case("prediction_entropy").normal("input", {4, 6})
          .note("logits [4,6]: one entropy per sample, reduction none"));
  add(Case("prediction_entropy", "dense_normalized").normal("input", {2, 3, 2, 4})
          .attr("normalized", true).attr("reduction", "mean")
          .note("[B,C,H,W]: entropy over dim 1 per pixel, / log C, mean"));
  add(Case("prediction_entropy", "sum").normal("input", {3, 4, 2}, 2.0).attr("reduction", "sum")
          .note("[3,4,2] logits of scale 2, reduction sum"));
  add(Case("prediction_entropy", "saturated").values("input", {2, 3}, {1e4, 0, -1e4, 3, 1, 2})
          .oracle_only("saturated logits: the value (0, no NaN) is the point")
          .note("a one-hot-like row of +-1e4 logits gives 0"));
}
