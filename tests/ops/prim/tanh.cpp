// Test cases for ops/prim/tanh.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(tanh) {
  add(Case("tanh").in("x", {3, 4}));
  add(Case("tanh", "scalar").in("x", {}));
}
