// Test cases for ops/hyperbolic/mobius_add.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(mobius_add) {
  add(Case("mobius_add").in("x", {3, 4}, -0.8, 0.8).in("y", {3, 4}, -0.8, 0.8)
          .note("c 0.1 (radius 3.16): points well inside"));
  add(Case("mobius_add", "c1").in("x", {2, 3}, -0.4, 0.4).in("y", {3}, -0.4, 0.4)
          .attr("c", 1.0).note("c 1, y [3] broadcast over the rows of x"));
  add(Case("mobius_add", "boundary")
          .values("x", {2, 2}, {0.7, 0.7, -0.99, 0.0}).values("y", {2, 2}, {0.69, 0.7, 0.0, 0.98})
          .attr("c", 1.0).note("c 1, points at |x| 0.99 near the boundary 1 (small denominators)"));
  add(Case("mobius_add", "inverse").values("x", {1, 3}, {0.3, -0.2, 0.5})
          .values("y", {1, 3}, {-0.3, 0.2, -0.5}).attr("c", 1.0)
          .note("y = -x: the result is 0 (up to the 1e-5 in the denominator)"));
}
