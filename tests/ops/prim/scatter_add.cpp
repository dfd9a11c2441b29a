// Test cases for ops/prim/scatter_add.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(scatter_add) {
  add(Case("scatter_add").in("x", {3, 4}).index("index", {4, 4}, 3).in("src", {4, 4}));
  add(Case("scatter_add", "axis1").in("x", {3, 4}).index("index", {3, 2}, 4).in("src", {3, 2})
          .attr("axis", 1));
}
