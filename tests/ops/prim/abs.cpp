// Test cases for ops/prim/abs.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(abs) {
  add(Case("abs").away("x", {3, 4}));
}
