// Test cases for losses/distill/self_distill_weighted_mse.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(self_distill_weighted_mse) {
  add(Case("self_distill_weighted_mse").normal("pred", {6}).normal("target", {6})
          .normal("teacher", {6}).note("regression, a 0.6"));
  add(Case("self_distill_weighted_mse", "probs").normal("pred", {5, 4}).probs("target", {5, 4})
          .normal("teacher", {5, 4}).attr("probs", true).attr("reduction", "sum")
          .note("classification form: softmax of pred and teacher logits, sum"));
  add(Case("self_distill_weighted_mse", "pure_self").normal("pred", {3, 2})
          .normal("target", {3, 2}).normal("teacher", {3, 2}).attr("a", 0.0)
          .attr("reduction", "none").note("a 0: pure self-distillation, none"));
}
