// Test cases for ops/nn/log_softmax.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(log_softmax) {
  add(Case("log_softmax").in("x", {3, 4}));
  add(Case("log_softmax", "axis0").in("x", {3, 4}).attr("axis", 0));
  add(Case("log_softmax", "extreme").values("x", {2, 3}, {1e4, 1e4 - 1, 0.0, -1e4, 3.0, -1e4 + 2}));
}

LATHE_CASES(log_softmax_backward) {
  add(Case("log_softmax_backward").in("g", {3, 5}).in("y", {3, 5}, -3.0, -0.1));
  add(Case("log_softmax_backward", "axis0").in("g", {4, 3}).in("y", {4, 3}, -3.0, -0.1)
          .attr("axis", 0));
}
