// Test cases for ops/hyperbolic/poincare_logmap0.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(poincare_logmap0) {
  add(Case("poincare_logmap0").in("y", {3, 4}, -1.0, 1.0).note("c 0.1, points inside"));
  add(Case("poincare_logmap0", "boundary").values("y", {2, 2}, {0.7, 0.7, 0.0, -0.999})
          .attr("c", 1.0).note("c 1, |y| 0.99 and 0.999: artanh's steep part"));
  add(Case("poincare_logmap0", "clamped").values("y", {1, 2}, {0.8, 0.6}).attr("c", 1.0)
          .at_kink("|y| = 1 on the boundary: pmath's Artanh clamp is active")
          .no_oracle_f32("1/(1 - z^2) ~ 5e4 at the clamp amplifies f32 rounding past 1e-4")
          .note("a point on the boundary: finite value artanh(1 - 1e-5), the clamp's gradient"));
}
