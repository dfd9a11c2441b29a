// Test cases for ops/nn/logsumexp.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(logsumexp) {
  using lathe::Axes;
  add(Case("logsumexp").in("x", {3, 4}).attr("axes", Axes{1}).note("[3,4], axes [1]"));
  add(Case("logsumexp", "all").normal("x", {2, 3, 4}).note("every axis"));
  add(Case("logsumexp", "axis_keepdim").normal("x", {2, 3, 4}).attr("axes", Axes{1})
          .attr("keepdim", true).note("axes [1], keepdim true"));
  add(Case("logsumexp", "two_axes").normal("x", {2, 3, 4}).attr("axes", Axes{0, 2})
          .oracle_only("axis_keepdim gradchecks the same reduction").note("axes [0, 2]"));
  add(Case("logsumexp", "extreme_pair")
          .values("x", {2, 3}, {1e4, 1e4 - 1, -1e4, -1e4, 3.0, 1e4 - 2})
          .attr("axes", Axes{-1}).note("rows near +-1e4, last axis"));
  add(Case("logsumexp", "extreme").values("x", {3, 4}, {0.3, -1.2, 0.8, 2.0, 1e4, -1e4, 0.0, 1.0,
                                -1e4, -1e4, -1e4, -1e4})
          .attr("axes", Axes{1})
          .oracle_only("extreme_pair gradchecks the max shift")
          .note("axes [1] over rows with +-1e4 and all -1e4"));
}
