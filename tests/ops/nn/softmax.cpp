// Test cases for ops/nn/softmax.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(softmax) {
  add(Case("softmax").in("x", {3, 4}));
  add(Case("softmax", "axis0").in("x", {3, 4}).attr("axis", 0));
  add(Case("softmax", "extreme").values("x", {2, 3}, {1e4, 1e4 - 1, 0.0, -1e4, 3.0, -1e4 + 2}));
}

LATHE_CASES(softmax_backward) {
  add(Case("softmax_backward").in("g", {3, 5}).in("y", {3, 5}, 0.05, 0.5));
  add(Case("softmax_backward", "axis0").in("g", {4, 3}).in("y", {4, 3}, 0.05, 0.5).attr("axis", 0));
}
