// Test cases for ops/nn/softmax.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(softmax) {
  add(Case("softmax").in("x", {3, 4}));
  add(Case("softmax", "axis0").in("x", {3, 4}).attr("axis", 0));
  add(Case("softmax", "extreme").values("x", {2, 3}, {1e4, 1e4 - 1, 0.0, -1e4, 3.0, -1e4 + 2}));
}
