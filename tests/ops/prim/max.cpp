// Test cases for ops/prim/max.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(max) {
  add(Case("max").distinct("x", {3, 4}).attr("axes", lathe::Axes{1}));
  add(Case("max", "all").distinct("x", {2, 3, 4}));
  add(Case("max", "keepdim").distinct("x", {3, 4}).attr("axes", lathe::Axes{0}).attr("keepdim", true));
  add(Case("min").distinct("x", {3, 4}).attr("axes", lathe::Axes{1}));
  add(Case("min", "all").distinct("x", {2, 3, 4}));
}
