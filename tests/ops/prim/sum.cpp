// Test cases for ops/prim/sum.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(sum) {
  using lathe::Axes;
  add(Case("sum", "all").normal("x", {2, 3, 4}).note("every axis, keepdim false"));
  add(Case("sum", "all_keepdim").normal("x", {2, 3, 4}).attr("keepdim", true)
          .oracle_only("all gradchecks the same reduction")
          .note("every axis, keepdim true -> [1,1,1]"));
  add(Case("sum", "axis_keepdim").normal("x", {2, 3, 4}).attr("axes", Axes{1})
          .attr("keepdim", true).note("axes [1], keepdim true"));
  add(Case("sum", "two_axes").normal("x", {2, 3, 4}).attr("axes", Axes{0, 2})
          .note("axes [0, 2], keepdim false"));
  add(Case("sum", "negative_axes").in("x", {2, 3, 4}).attr("axes", Axes{0, -1})
          .oracle_only("two_axes gradchecks the same reduction").note("axes [0, -1]"));
}
