// Test cases for ops/prim/argmax.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

// argmax and argmin; ties pick the first index.
LATHE_CASES(argmax) {
  const std::vector<double> ties = {1.0, 3.0, 3.0, 0.0, 2.0, 2.0, 2.0, 2.0, -1.0, 0.5, 4.0, 0.25};
  for (double sign : {1.0, -1.0}) {
    std::string op = sign > 0 ? "argmax" : "argmin";
    std::vector<double> t;
    for (double v : ties) t.push_back(sign * v);
    add(Case(op).distinct("x", {3, 5}).no_gradcheck("integer output")
            .note("[3,5] distinct values, default axis -1"));
    add(Case(op, "axis_keepdim").distinct("x", {2, 3, 4}).attr("axis", 1).attr("keepdim", true)
            .no_gradcheck("integer output").note("[2,3,4], axis 1, keepdim true"));
    add(Case(op, "ties").values("x", {3, 4}, t).no_gradcheck("integer output")
            .note("ties pick the first index"));
  }
  add(Case("argmax", "axis0_keepdim").distinct("x", {3, 4}).attr("axis", 0).attr("keepdim", true)
          .no_gradcheck("integer output"));
}
