// Test cases for ops/metric/tolerance_metric.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(tolerance_metric) {
  add(Case("tolerance_metric").normal("features", {6, 4})
          .values("labels", {6}, {0, 0, 1, 1, 2, 2}, DType::i64)
          .note("three classes of two: the catalog's example"));
  add(Case("tolerance_metric", "uneven").normal("features", {7, 3})
          .values("labels", {7}, {2, 0, 2, 1, 2, 0, 3}, DType::i64)
          .note("classes of 3, 2, 1 and 1 samples (singletons add no pair)"));
  add(Case("tolerance_metric", "one_class").normal("features", {4, 5})
          .values("labels", {4}, {1, 1, 1, 1}, DType::i64).note("a single class"));
}
