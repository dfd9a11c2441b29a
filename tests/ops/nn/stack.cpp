// Test cases for ops/nn/stack.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(stack) {
  add(Case("stack", "middle_axis").normal("xs", {2, 3}).normal("xs", {2, 3}).normal("xs", {2, 3})
          .attr("axis", 1).note("three [2,3] on axis 1 -> [2,3,3]"));
  add(Case("stack", "axis0").normal("xs", {2, 3}).normal("xs", {2, 3}).normal("xs", {2, 3})
          .oracle_only("middle_axis gradchecks the same split of the gradient")
          .note("three [2,3] on the default axis 0"));
  add(Case("stack", "last_axis").normal("xs", {2, 3}).normal("xs", {2, 3}).attr("axis", 2)
          .note("two [2,3] on axis 2 (= rank): new last dim"));
}
