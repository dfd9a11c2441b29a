// Test cases for ops/prim/scatter_add.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(scatter_add) {
  add(Case("scatter_add", "axis0").normal("x", {3, 4}).index("index", {5, 4}, 3)
          .normal("src", {5, 4}).note("index [5,4] into x [3,4] on axis 0, repeated indices"));
  add(Case("scatter_add", "axis1")
          .normal("x", {3, 4})
          .index("index", {2, 6}, 4)
          .normal("src", {2, 6})
          .attr("axis", 1)
          .note("index [2,6] into x [3,4] on axis 1, repeated indices; row 2 untouched"));
}
