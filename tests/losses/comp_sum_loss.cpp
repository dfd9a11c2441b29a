// Test cases for losses/classification/comp_sum_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(comp_sum_loss) {
  using lathe::DType;
  add(Case("comp_sum_loss").normal("input", {6, 4}).index("target", {6}, 4).attr("tau", 1.5)
          .note("tau 1.5: generalized cross-entropy q = 0.5"));
  add(Case("comp_sum_loss", "tau0").normal("input", {6, 4}).index("target", {6}, 4)
          .attr("tau", 0.0).note("tau 0: sum-exponential"));
  add(Case("comp_sum_loss", "tau_half_sum").normal("input", {5, 3}).index("target", {5}, 3)
          .attr("tau", 0.5).attr("reduction", "sum").note("tau 0.5, reduction sum"));
  add(Case("comp_sum_loss", "tau1").normal("input", {6, 4}).index("target", {6}, 4)
          .attr("tau", 1.0).note("tau 1: cross-entropy"));
  add(Case("comp_sum_loss", "tau_near1").normal("input", {4, 3}).index("target", {4}, 3)
          .attr("tau", 1.0 + 1e-9).attr("reduction", "none")
          .note("tau 1 + 1e-9: the expm1 branch, continuous with cross-entropy"));
  add(Case("comp_sum_loss", "tau_below1").normal("input", {4, 3}).index("target", {4}, 3)
          .attr("tau", 1.0 - 1e-9).note("tau 1 - 1e-9"));
  add(Case("comp_sum_loss", "tau2").normal("input", {6, 4}).index("target", {6}, 4)
          .attr("tau", 2.0).note("tau 2: mean absolute error 1 - p_y"));
  add(Case("comp_sum_loss", "c1").normal("input", {3, 1})
          .values("target", {3}, {0, 0, 0}, DType::i64).attr("tau", 0.5)
          .oracle_only("a single class: u = 0, loss and gradient are 0")
          .note("C = 1: value 0"));
  add(Case("comp_sum_loss", "equal_logits")
          .values("input", {2, 3}, {0.5, 0.5, 0.5, -2, -2, -2})
          .values("target", {2}, {0, 2}, DType::i64).attr("tau", 0.0)
          .note("all-equal logits: u = C - 1"));
  add(Case("comp_sum_loss", "huge_margin")
          .values("input", {2, 3}, {-100.0, 0.0, 1.0, 2.0, 80.0, -1.0})
          .values("target", {2}, {0, 2}, DType::i64).attr("tau", 0.5).attr("reduction", "sum")
          .oracle_only("huge margins: the value (like u^(1 - tau)) is the point")
          .note("huge margins with tau < 1: finite in f64"));
}
