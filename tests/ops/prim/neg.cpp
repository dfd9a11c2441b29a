// Test cases for ops/prim/neg.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(neg) {
  add(Case("neg").in("x", {3, 4}));
  add(Case("neg", "scalar").in("x", {}));
}
