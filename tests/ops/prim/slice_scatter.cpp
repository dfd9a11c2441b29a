// Test cases for ops/prim/slice_scatter.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(slice_scatter) {
  add(Case("slice_scatter").in("x", {5, 4}).in("src", {2, 4}).attr("start", 1).attr("step", 2)
          .note("src [2,4] into rows 1::2 of x [5,4]"));
  add(Case("slice_scatter", "step2").normal("x", {4, 6}).normal("src", {4, 3}).attr("axis", 1)
          .attr("start", 1).attr("step", 2).note("src [4,3] into columns 1::2 of x [4,6]"));
  add(Case("slice_scatter", "range").normal("x", {4, 6}).normal("src", {2, 6}).attr("start", 1)
          .attr("end", 3).note("src [2,6] into rows 1:3 of x [4,6]"));
}
