// Test cases for ops/special/norm.cpp (gradcheck, conformance, oracle).
#include <limits>

#include "tests/support/cases.h"

LATHE_CASES(norm) {
  add(Case("norm").in("x", {3, 4}).note("p = 2 over all elements"));
  add(Case("norm", "p1").away("x", {3, 4}).attr("p", 1.0).attr("dims", std::vector<int64_t>{1})
          .note("p = 1 per row, away from 0"));
  add(Case("norm", "inf").distinct("x", {3, 4}).attr("p", std::numeric_limits<double>::infinity())
          .attr("dims", std::vector<int64_t>{0}).attr("keepdim", true).note("max |x| per column"));
  add(Case("norm", "p3").away("x", {2, 3, 2}).attr("p", 3.0)
          .attr("dims", std::vector<int64_t>{0, 2}).note("p = 3 over two dims"));
  add(Case("norm", "zero_row").values("x", {2, 3}, {0.0, 0.0, 0.0, 1.0, -2.0, 2.0})
          .attr("dims", std::vector<int64_t>{1})
          .at_kink("a zero row: norm 0 and no gradient (PyTorch masks norm == 0)"));
}
