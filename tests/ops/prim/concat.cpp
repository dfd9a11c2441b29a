// Test cases for ops/prim/concat.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(concat) {
  add(Case("concat").in("xs", {2, 3}).in("xs", {2, 1}).in("xs", {2, 2}).attr("axis", 1)
          .note("[2,3], [2,1], [2,2] on axis 1"));
  add(Case("concat", "middle_axis").normal("xs", {2, 1, 3}).normal("xs", {2, 2, 3})
          .normal("xs", {2, 3, 3}).attr("axis", 1).note("[2,1,3], [2,2,3], [2,3,3] on axis 1"));
  add(Case("concat", "axis0").normal("xs", {1, 4}).normal("xs", {2, 4}).normal("xs", {3, 4})
          .oracle_only("basic and middle_axis gradcheck the same split of the gradient")
          .note("[1,4], [2,4], [3,4] on the default axis 0"));
}
