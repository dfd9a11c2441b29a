// Test cases for ops/prim/sort.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(sort) {
  add(Case("sort").distinct("x", {3, 4}));
  add(Case("sort", "descending_axis0").distinct("x", {3, 4}).attr("axis", 0).attr("descending", true));
}
