// Test cases for ops/nn/silu.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(silu) {
  add(Case("silu").in("x", {3, 4}));
}
