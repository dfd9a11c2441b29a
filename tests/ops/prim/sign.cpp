// Test cases for ops/prim/sign.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(sign) {
  add(Case("sign").away("x", {3, 4}));
}
