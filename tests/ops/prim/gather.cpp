// Test cases for ops/prim/gather.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(gather) {
  add(Case("gather").in("x", {3, 4}).index("index", {3, 2}, 4).attr("axis", 1));
  add(Case("gather", "axis0").in("x", {3, 4}).index("index", {2, 4}, 3).attr("axis", 0));
}
