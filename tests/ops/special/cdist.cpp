// Test cases for ops/special/cdist.cpp (gradcheck, conformance, oracle).
#include <limits>

#include "tests/support/cases.h"

LATHE_CASES(cdist) {
  add(Case("cdist").in("a", {4, 3}).in("b", {5, 3}).note("p = 2 through the GEMM"));
  add(Case("cdist", "batched").in("a", {2, 3, 2}).in("b", {1, 4, 2})
          .note("batch dims broadcast"));
  add(Case("cdist", "p1").in("a", {3, 2}).in("b", {4, 2}).attr("p", 1.0).note("p = 1"));
  add(Case("cdist", "inf").in("a", {3, 2}).in("b", {2, 2})
          .attr("p", std::numeric_limits<double>::infinity()).note("p = inf"));
  add(Case("cdist", "p3").in("a", {3, 2}).in("b", {2, 2}).attr("p", 3.0).note("p = 3"));
  add(Case("cdist", "zero").values("a", {2, 2}, {1.0, 2.0, -1.0, 0.5})
          .values("b", {2, 2}, {1.0, 2.0, 3.0, -1.0})
          .at_kink("a_0 == b_0 with exact products: distance 0, no gradient"));
  add(Case("pdist").in("x", {5, 3}).note("p = 2, ten pairs"));
  add(Case("pdist", "p1").in("x", {4, 2}).attr("p", 1.0).note("p = 1"));
}
