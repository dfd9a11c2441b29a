// Test cases for ops/metric/ece.cpp (conformance, oracle; not differentiable).
#include "tests/support/cases.h"

LATHE_CASES(ece) {
  add(Case("ece").normal("logits", {16, 4}, 3.0).index("labels", {16}, 4)
          .note("16 samples, 4 classes, 15 bins (many empty)"));
  add(Case("ece", "bins25").normal("logits", {16, 3}, 2.0).index("labels", {16}, 3)
          .attr("n_bins", 25).note("the calibration script's 25 bins"));
  add(Case("ece", "edges").values("logits", {4, 2}, {0, 0, 1, 1, 2, 0, 0, 3}, DType::f64)
          .values("labels", {4}, {0, 1, 0, 1}, DType::i64).attr("n_bins", 10)
          .note("confidence exactly 0.5 on the edge of bins 5 and 6 (upper-inclusive: bin 5)"));
  add(Case("ece", "one_sample").values("logits", {1, 3}, {0.5, 2.0, -1.0})
          .values("labels", {1}, {2}, DType::i64).note("N = 1, wrong prediction"));
}
