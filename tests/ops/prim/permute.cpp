// Test cases for ops/prim/permute.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(permute) {
  add(Case("permute").in("x", {2, 3, 4}).attr("dims", lathe::Axes{2, 0, 1}));
}
