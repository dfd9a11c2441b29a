// Test cases for ops/prim/max.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

// max and min, and the ties that split their gradient evenly.
LATHE_CASES(max) {
  using lathe::Axes;
  // a row with a 2-way tie (3.0), a row all equal, a row without ties
  const std::vector<double> ties = {1.0, 3.0, 3.0, 0.0, 2.0, 2.0, 2.0, 2.0, -1.0, 0.5, 4.0, 0.25};
  for (double sign : {1.0, -1.0}) {
    std::string op = sign > 0 ? "max" : "min";
    std::vector<double> t, all;
    for (double v : ties) t.push_back(sign * v);
    all = t;  // and the last row once more: the extreme value appears twice
    all.insert(all.end(), t.end() - 4, t.end());
    add(Case(op).distinct("x", {3, 4}).attr("axes", Axes{1}).note("[3,4], axes [1]"));
    add(Case(op, "all").distinct("x", {2, 3, 4}).note("every axis, distinct values"));
    add(Case(op, "axis_keepdim").distinct("x", {2, 3, 4}).attr("axes", Axes{2})
            .attr("keepdim", true).note("axes [2], keepdim true"));
    add(Case(op, "two_axes").distinct("x", {2, 3, 4}).attr("axes", Axes{0, 1})
            .oracle_only("axis_keepdim gradchecks the same reduction").note("axes [0, 1]"));
    add(Case(op, "ties").values("x", {3, 4}, t).attr("axes", Axes{1})
            .at_kink("ties share the gradient")
            .note("axes [1]: rows with a 2-way and a 4-way tie share the gradient evenly"));
    add(Case(op, "ties_all").values("x", {4, 4}, all).attr("keepdim", true)
            .at_kink("ties share the gradient")
            .note("every axis, keepdim true, extreme value appears twice"));
  }
  add(Case("max", "keepdim").distinct("x", {3, 4}).attr("axes", Axes{0}).attr("keepdim", true));
}
