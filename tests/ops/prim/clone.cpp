// Test cases for ops/prim/clone.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(clone) {
  add(Case("clone").in("x", {3, 4}));
}
