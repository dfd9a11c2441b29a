// Test cases for ops/nn/one_hot.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(one_hot) {
  add(Case("one_hot").index("labels", {5}, 4).attr("num_classes", 4).no_gradcheck("integer output"));
}
