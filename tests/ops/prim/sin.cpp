// Test cases for ops/prim/sin.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(sin) {
  add(Case("sin").in("x", {3, 4}));
  add(Case("sin", "scalar").in("x", {}));
}
