// Test cases for ops/prim/rsqrt.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(rsqrt) {
  add(Case("rsqrt").in("x", {3, 4}, 0.5, 2.0));
}
