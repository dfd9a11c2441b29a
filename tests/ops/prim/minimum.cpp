// Test cases for ops/prim/minimum.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(minimum) {
  add(Case("minimum").distinct("a", {3, 4}).distinct("b", {3, 4}));
  add(Case("minimum", "broadcast").distinct("a", {3, 1, 4}).distinct("b", {2, 4}));
}
