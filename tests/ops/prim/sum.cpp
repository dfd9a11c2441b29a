// Test cases for ops/prim/sum.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(sum) {
  add(Case("sum").in("x", {2, 3, 4}));
  add(Case("sum", "axis1_keepdim").in("x", {2, 3, 4}).attr("axes", lathe::Axes{1}).attr("keepdim", true));
  add(Case("sum", "two_axes").in("x", {2, 3, 4}).attr("axes", lathe::Axes{0, -1}));
}
