// Test cases for ops/prim/relu.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(relu) {
  add(Case("relu").away("x", {3, 4}));
}
