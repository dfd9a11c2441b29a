// Test cases for losses/divergence/kl_estimator.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(kl_estimator) {
  add(Case("kl_estimator").in("input", {6}, -2.0, -0.2).in("ref", {6}, -2.0, -0.2)
          .note("token log-probs [6], k3 (low_var_kl)"));
  add(Case("kl_estimator", "k1").in("input", {2, 4}, -2.0, -0.2).in("ref", {2, 4}, -2.0, -0.2)
          .attr("which", "k1").note("k1 = -r on [2,4]"));
  add(Case("kl_estimator", "k2").in("input", {2, 4}, -2.0, -0.2).in("ref", {2, 4}, -2.0, -0.2)
          .attr("which", "k2").note("k2 = r^2 / 2 on [2,4]"));
  add(Case("kl_estimator", "clamp_inactive").in("input", {5}, -3.0, -0.1)
          .in("ref", {5}, -3.0, -0.1).attr("clamp", true)
          .note("k3 with verl's clamps, |r| < 3: no clamp active"));
  add(Case("kl_estimator", "clamp_active").values("input", {4}, {-30.0, -0.5, -1.0, -0.1})
          .values("ref", {4}, {-0.1, -40.0, -1.0, -9.0}).attr("clamp", true)
          .at_kink("r = 29.9 and the k3 value 10 hit the clamps (zero gradient there)")
          .note("r beyond +-20 and k3 beyond 10 are clamped; equal log-probs give 0"));
}
