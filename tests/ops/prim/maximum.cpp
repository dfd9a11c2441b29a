// Test cases for ops/prim/maximum.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(maximum) {
  add(Case("maximum").distinct("a", {3, 4}).distinct("b", {3, 4}));
  add(Case("maximum", "broadcast").distinct("a", {3, 1, 4}).distinct("b", {2, 4}));
}
