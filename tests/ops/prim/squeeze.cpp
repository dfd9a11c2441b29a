// Test cases for ops/prim/squeeze.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(squeeze) {
  add(Case("squeeze").in("x", {3, 1, 4, 1}));
  add(Case("squeeze", "axis").in("x", {3, 1, 4, 1}).attr("axes", lathe::Axes{1}));
}
