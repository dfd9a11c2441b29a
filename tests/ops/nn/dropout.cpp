// Test cases for ops/nn/dropout.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

// f32 masks draw 24-bit uniforms, the f64 fixture 53-bit ones (docs/ops-core.md): no f32 oracle.
LATHE_CASES(dropout) {
  const char* stream = "f32 masks draw 24-bit uniforms, the f64 fixture 53-bit ones";
  add(Case("dropout", "train").normal("x", {4, 8}).attr("p", 0.3).attr("training", true)
          .attr("seed", 1234).no_oracle_f32(stream)
          .note("p 0.3, seed 1234: keep iff Philox u53 >= p, scale 1/(1-p)"));
  add(Case("dropout", "eval").normal("x", {3, 4}).attr("p", 0.3).attr("training", false)
          .no_oracle_f32(stream).note("training false: y = x"));
  add(Case("dropout", "p_zero").normal("x", {3, 4}).attr("p", 0.0).attr("training", true)
          .attr("seed", 1234)
          .oracle_only("y = x: train gradchecks the masked path")
          .no_oracle_f32(stream)
          .note("p 0, training: every u >= 0, so y = x"));
}
