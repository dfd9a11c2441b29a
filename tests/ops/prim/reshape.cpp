// Test cases for ops/prim/reshape.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(reshape) {
  add(Case("reshape").in("x", {2, 3, 4}).attr("shape", lathe::Axes{4, -1}));
  add(Case("reshape", "flatten").in("x", {2, 3}).attr("shape", lathe::Axes{6}));
}
