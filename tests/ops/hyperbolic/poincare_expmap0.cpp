// Test cases for ops/hyperbolic/poincare_expmap0.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(poincare_expmap0) {
  add(Case("poincare_expmap0").normal("u", {3, 4}).note("c 0.1, u ~ N(0, 1)"));
  add(Case("poincare_expmap0", "c2").normal("u", {2, 3, 2}).attr("c", 2.0)
          .note("c 2, leading dims [2,3]"));
  add(Case("poincare_expmap0", "far").normal("u", {3, 3}, 40.0)
          .note("|u| ~ 70: sqrt(c)|u| past the tanh clamp 15: rows saturate inside the ball"));
  add(Case("poincare_expmap0", "origin").values("u", {2, 3}, {0, 0, 0, 1e-7, 0, -2e-7})
          .at_kink("u = 0 and |u| < 1e-5: the norm clamp is active")
          .note("the origin and a tiny vector: output ~ u, finite gradients"));
}
