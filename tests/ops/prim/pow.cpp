// Test cases for ops/prim/pow.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(pow) {
  add(Case("pow").in("a", {3, 4}, 0.5, 2.0).in("b", {3, 4}, -1.5, 1.5));
  add(Case("pow", "broadcast").in("a", {2, 3}, 0.5, 2.0).in("b", {3}, -1.5, 2.5));
  add(Case("pow", "scalar_exponent").in("a", {4}, 0.5, 2.0).in("b", {}, 1.5, 3.0));
}
