// Test cases for ops/prim/slice.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(slice) {
  add(Case("slice").in("x", {5, 4}).attr("start", 1).attr("step", 2).note("[5,4] rows 1::2"));
  add(Case("slice", "negative").in("x", {3, 6}).attr("axis", 1).attr("start", -4).attr("end", -1)
          .note("[3,6] columns -4:-1"));
  add(Case("slice", "step2").normal("x", {4, 6}).attr("axis", 1).attr("start", 1)
          .attr("step", 2).note("[4,6] axis 1, start 1, step 2, end left at the size"));
  add(Case("slice", "range").normal("x", {4, 6}).attr("start", 1).attr("end", 3)
          .note("[4,6] rows 1:3"));
}
