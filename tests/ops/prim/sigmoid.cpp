// Test cases for ops/prim/sigmoid.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(sigmoid) {
  add(Case("sigmoid").in("x", {3, 4}));
  add(Case("sigmoid", "scalar").in("x", {}));
}
