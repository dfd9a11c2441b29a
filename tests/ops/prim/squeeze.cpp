// Test cases for ops/prim/squeeze.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(squeeze) {
  using lathe::Axes;
  add(Case("squeeze").in("x", {3, 1, 4, 1}).note("[3,1,4,1] -> [3,4]"));
  add(Case("squeeze", "axis").in("x", {3, 1, 4, 1}).attr("axes", Axes{1})
          .note("[3,1,4,1] axes [1] -> [3,4,1]"));
  add(Case("squeeze", "all").normal("x", {1, 3, 1, 4}).note("[1,3,1,4] -> [3,4]"));
  add(Case("squeeze", "axes").normal("x", {1, 3, 1, 4, 1}).attr("axes", Axes{0, 2})
          .note("[1,3,1,4,1] axes [0, 2] -> [3,4,1]"));
}
