// Test cases for ops/prim/expand.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(expand) {
  add(Case("expand").in("x", {3, 1}).attr("shape", lathe::Axes{2, 3, 4}));
  add(Case("expand", "keep").in("x", {1, 4}).attr("shape", lathe::Axes{3, -1}));
}
