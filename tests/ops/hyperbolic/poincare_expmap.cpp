// Test cases for ops/hyperbolic/poincare_expmap.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(poincare_expmap) {
  add(Case("poincare_expmap").in("x", {3, 4}, -0.9, 0.9).normal("u", {3, 4})
          .note("c 0.1, base points inside, u ~ N(0, 1)"));
  add(Case("poincare_expmap", "origin").values("x", {4}, {0, 0, 0, 0}).normal("u", {2, 4})
          .note("x = 0 [4] broadcast: expmap0 (up to the 1e-5 of the Mobius addition)"));
  add(Case("poincare_expmap", "boundary").values("x", {2, 2}, {0.7, 0.7, 0.0, -0.95})
          .normal("u", {2, 2}, 0.3).attr("c", 1.0)
          .note("c 1, base points at |x| 0.99 and 0.95: lambda_x ~ 100 and 20"));
}
