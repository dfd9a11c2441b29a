// Test cases for ops/prim/expand.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(expand) {
  using lathe::Axes;
  add(Case("expand").normal("x", {1, 4}).attr("shape", Axes{3, 4}).note("[1,4] -> [3,4]"));
  add(Case("expand", "new_dim").normal("x", {3, 1}).attr("shape", Axes{2, -1, 4})
          .note("[3,1] -> [2,-1,4]: new leading dim, -1 keeps 3, 1 grows to 4"));
  add(Case("expand", "keep").in("x", {1, 4}).attr("shape", Axes{3, -1})
          .oracle_only("new_dim gradchecks -1").note("[1,4] -> [3,-1]"));
}
