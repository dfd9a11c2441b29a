// Test cases for ops/special/kthvalue.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(kthvalue) {
  add(Case("kthvalue").distinct("x", {3, 5}).attr("k", 2).note("k = 2, last dim"));
  add(Case("kthvalue", "keepdim").distinct("x", {4, 3}).attr("k", 4).attr("dim", 0)
          .attr("keepdim", true).note("the largest of dim 0, keepdim"));
  add(Case("median").distinct("x", {3, 4}).note("even n: the lower of the two middle"));
  add(Case("median", "odd").distinct("x", {5, 3}).attr("dim", 0).attr("keepdim", true)
          .note("odd n, dim 0"));
  add(Case("quantile").distinct("x", {3, 6}).attr("q", 0.3).note("between two ranks"));
  add(Case("quantile", "ends").distinct("x", {4, 3}).attr("q", 1.0).attr("dim", 0)
          .note("q = 1: the maximum"));
  add(Case("quantile", "exact").distinct("x", {2, 5}).attr("q", 0.75).attr("keepdim", true)
          .note("q (n - 1) an integer: one rank"));
}
