// Test cases for losses/classification/focal_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(focal_loss) {
  using lathe::DType;
  add(Case("focal_loss").normal("input", {5, 4}).index("target", {5}, 4)
          .note("logits [5,4], class indices, alpha 0.25, gamma 2"));
  add(Case("focal_loss", "gamma0_sum").normal("input", {4, 3}).index("target", {4}, 3)
          .attr("gamma", 0.0).attr("alpha", 1.0).attr("reduction", "sum")
          .note("gamma 0, alpha 1: cross-entropy, reduction sum"));
  add(Case("focal_loss", "gamma_half").normal("input", {4, 3}).index("target", {4}, 3)
          .attr("gamma", 0.5).attr("alpha", 0.5)
          .note("gamma 0.5: the factor's derivative grows as p_t -> 1"));
  add(Case("focal_loss", "ignore_none").normal("input", {5, 3})
          .values("target", {5}, {2, -100, 0, 1, -100}, DType::i64).attr("reduction", "none")
          .note("ignored rows give 0, reduction none"));
  add(Case("focal_loss", "ignore_mean").normal("input", {5, 3})
          .values("target", {5}, {2, -100, 0, 1, -100}, DType::i64)
          .note("ignored rows leave the mean's denominator"));
  add(Case("focal_loss", "confident")
          .values("input", {2, 3}, {12.0, -3.0, 0.0, 1.0, 2.0, 15.0})
          .values("target", {2}, {0, 2}, DType::i64)
          .note("confident rows: p_t near 1, value near 0"));
  add(Case("focal_loss", "extreme")
          .values("input", {2, 3}, {1e4, 0.0, -1e4, -1e4, 1e4 - 1, 1e4})
          .values("target", {2}, {0, 1}, DType::i64).attr("reduction", "sum")
          .oracle_only("saturated softmax: the values are the point, not the derivative")
          .note("logits of +-1e4: finite, no overflow"));
}
