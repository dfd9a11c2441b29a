// Test cases for ops/nn/mean.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(mean) {
  using lathe::Axes;
  add(Case("mean", "all").normal("x", {2, 3, 4}).note("every axis, keepdim false"));
  add(Case("mean", "all_keepdim").normal("x", {2, 3, 4}).attr("keepdim", true)
          .oracle_only("all gradchecks the same reduction")
          .note("every axis, keepdim true -> [1,1,1]"));
  add(Case("mean", "axis_keepdim").normal("x", {2, 3, 4}).attr("axes", Axes{1})
          .attr("keepdim", true).note("axes [1], keepdim true"));
  add(Case("mean", "two_axes").normal("x", {2, 3, 4}).attr("axes", Axes{0, 2})
          .oracle_only("axis_keepdim gradchecks the same reduction")
          .note("axes [0, 2], keepdim false"));
}
