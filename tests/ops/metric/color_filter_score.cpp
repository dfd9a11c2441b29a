// Test cases for ops/metric/color_filter_score.cpp (conformance, oracle; not differentiable).
#include "tests/support/cases.h"

LATHE_CASES(color_filter_score) {
  add(Case("color_filter_score").normal("logits_prior", {3, 4, 5})
          .normal("logits_cond", {3, 4, 5}, 2.0)
          .values("labels", {3, 4}, {1, 4, 0, -100, 3, 2, 2, 0, 4, -100, -100, -100}, DType::i64)
          .note("padding inside the mean (counted as 0), a fully ignored sequence (score 0)"));
  add(Case("color_filter_score", "ignore_index").normal("logits_prior", {2, 3, 4})
          .normal("logits_cond", {2, 3, 4}).values("labels", {2, 3}, {9, 1, 2, 3, 9, 0},
                                                   DType::i64)
          .attr("ignore_index", 9).note("ignore_index 9"));
}
