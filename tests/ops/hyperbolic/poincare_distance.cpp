// Test cases for ops/hyperbolic/poincare_distance.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(poincare_distance) {
  add(Case("poincare_distance").in("x", {3, 4}, -0.8, 0.8).in("y", {3, 4}, -0.8, 0.8)
          .note("c 0.1, points inside"));
  add(Case("poincare_distance", "c1").in("x", {2, 3}, -0.5, 0.5).in("y", {3}, -0.5, 0.5)
          .attr("c", 1.0).note("c 1, y [3] broadcast"));
  add(Case("poincare_distance", "boundary").values("x", {2, 2}, {0.7, 0.7, 0.0, 0.9})
          .values("y", {2, 2}, {-0.7, 0.69, 0.0, -0.9}).attr("c", 1.0)
          .no_oracle_f32("artanh's slope ~ 1e3 near the boundary amplifies f32 rounding")
          .note("c 1, points near the boundary: large distances"));
  add(Case("poincare_distance", "same").values("x", {2, 2}, {0.3, -0.4, 0.1, 0.2})
          .values("y", {2, 2}, {0.3, -0.4, 0.1, 0.2})
          .at_kink("x = y: the norm of a zero vector (gradient 0 as PyTorch)")
          .no_oracle_f32("in f32 the Mobius sum of -x and x leaves rounding noise, not 0, "
                         "and its direction sets the norm's gradient")
          .note("x = y: distance 0"));
}
