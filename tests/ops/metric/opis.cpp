// Test cases for ops/metric/opis.cpp (conformance, oracle; not differentiable).
#include "tests/support/cases.h"

LATHE_CASES(opis) {
  add(Case("opis").in("distances", {6, 6}, 0.0, 2.0)
          .values("labels", {6}, {0, 0, 1, 1, 2, 2}, DType::i64)
          .values("thresholds", {5}, {0.2, 0.6, 1.0, 1.4, 1.8})
          .note("three classes of two, 5 thresholds (the matrix is read above the diagonal)"));
  add(Case("opis", "singleton").in("distances", {7, 7}, 0.0, 1.0)
          .values("labels", {7}, {1, 0, 1, 0, 1, 2, 0}, DType::i64)
          .values("thresholds", {3}, {0.25, 0.5, 0.75})
          .note("class 2 has a single sample: left out"));
}
