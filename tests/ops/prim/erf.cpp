// Test cases for ops/prim/erf.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(erf) {
  add(Case("erf").in("x", {3, 4}));
  add(Case("erf", "scalar").in("x", {}));
}
