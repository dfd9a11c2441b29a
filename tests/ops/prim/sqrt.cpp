// Test cases for ops/prim/sqrt.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(sqrt) {
  add(Case("sqrt").in("x", {3, 4}, 0.5, 2.0));
}
