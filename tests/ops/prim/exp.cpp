// Test cases for ops/prim/exp.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(exp) {
  add(Case("exp").in("x", {3, 4}));
  add(Case("exp", "scalar").in("x", {}));
}
