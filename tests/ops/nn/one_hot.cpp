// Test cases for ops/nn/one_hot.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(one_hot) {
  using lathe::DType;
  add(Case("one_hot").index("labels", {5}, 4).attr("num_classes", 4)
          .no_gradcheck("integer output").note("labels [5], num_classes 4"));
  add(Case("one_hot", "explicit").values("labels", {6}, {0, 3, 1, 3, 2, 0}, DType::i64)
          .attr("num_classes", 5)
          .no_gradcheck("integer output")
          .note("labels [6], num_classes 5 (above the largest label)"));
  add(Case("one_hot", "infer")
          .values("labels", {3, 4}, {0, 4, 1, 2, 2, 2, 0, 3, 1, 0, 4, 3}, DType::i64)
          .attr("num_classes", -1)
          .no_gradcheck("integer output")
          .note("labels [3,4], num_classes -1 = max + 1 = 5"));
}
