// Test cases for ops/metric/el2n_score.cpp (conformance, oracle; not differentiable).
#include "tests/support/cases.h"

LATHE_CASES(el2n_score) {
  add(Case("el2n_score").normal("logits", {3, 5, 4}).index("labels", {5}, 4)
          .note("3 runs, 5 examples, 4 classes"));
  add(Case("el2n_score", "one_run").normal("logits", {1, 4, 6}, 3.0).index("labels", {4}, 6)
          .note("a single run"));
  add(Case("el2n_score", "perfect").values("logits", {2, 2, 2}, {40, 0, 0, 40, 30, 0, 0, 30})
          .values("labels", {2}, {0, 1}, DType::i64)
          .note("confident correct predictions: scores near 0"));
}
