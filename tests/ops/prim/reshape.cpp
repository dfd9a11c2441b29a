// Test cases for ops/prim/reshape.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(reshape) {
  using lathe::Axes;
  add(Case("reshape", "infer").normal("x", {2, 3, 4}).attr("shape", Axes{4, -1})
          .note("[2,3,4] -> [4,-1]"));
  add(Case("reshape", "flatten").normal("x", {3, 4}).attr("shape", Axes{-1})
          .note("[3,4] -> [-1]"));
  add(Case("reshape", "explicit").in("x", {2, 3}).attr("shape", Axes{6})
          .oracle_only("infer gradchecks the same view").note("[2,3] -> [6]"));
}
