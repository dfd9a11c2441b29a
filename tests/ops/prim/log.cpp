// Test cases for ops/prim/log.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(log) {
  add(Case("log").in("x", {3, 4}, 0.5, 2.0));
}
