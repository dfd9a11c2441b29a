// Test cases for ops/metric/matrix_entropy.cpp (gradcheck, conformance, oracle). L > d keeps
// the covariance full rank (distinct positive eigenvalues); rank-deficient inputs are checked
// by value in metric_test.cpp.
#include "tests/support/cases.h"

LATHE_CASES(matrix_entropy) {
  add(Case("matrix_entropy").normal("r", {8, 5}).note("hidden states [8, 5]"));
  add(Case("matrix_entropy", "batch").normal("r", {2, 7, 3}, 3.0)
          .note("two matrices [7, 3], scale 3 (the metric is scale-free)"));
}
