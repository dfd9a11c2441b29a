// Test cases for ops/prim/gather.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(gather) {
  add(Case("gather", "axis0").normal("x", {3, 4}).index("index", {2, 4}, 3)
          .note("x [3,4], index [2,4] on axis 0"));
  add(Case("gather", "axis1").normal("x", {3, 4}).index("index", {2, 5}, 4).attr("axis", 1)
          .note("x [3,4], index [2,5] on axis 1: repeats accumulate in the gradient"));
  add(Case("gather", "axis1_narrow").in("x", {3, 4}).index("index", {3, 2}, 4).attr("axis", 1)
          .oracle_only("axis1 gradchecks the same path"));
}
