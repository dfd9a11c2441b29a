// Test cases for ops/prim/cos.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(cos) {
  add(Case("cos").in("x", {3, 4}));
  add(Case("cos", "scalar").in("x", {}));
}
