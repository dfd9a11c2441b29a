// Test cases for ops/prim/softplus.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(softplus) {
  add(Case("softplus").normal("x", {3, 4}, 2.0).note("default beta 1, threshold 20"));
  add(Case("softplus", "beta2").normal("x", {3, 4}, 2.0).attr("beta", 2.0).note("beta 2"));
  // the linear branch for beta x > threshold, away from the switch (at x = threshold / beta)
  add(Case("softplus", "threshold")
          .values("x", {3, 4}, {-3.0, -1.1, 0.4, 1.7, 2.3, 3.1, 4.6, 1.2, 2.9, -0.3, 1.85, 2.15})
          .attr("beta", 2.0)
          .attr("threshold", 4.0)
          .note("beta 2, threshold 4: x on both sides of 2 (linear branch above)"));
  add(Case("softplus", "threshold_1").values("x", {6}, {-1.0, 0.2, 0.9, 1.5, -0.3, 0.7})
          .attr("beta", 2.0).attr("threshold", 1.0)
          .note("beta 2, threshold 1: x on both sides of 0.5"));
  add(Case("softplus", "default_threshold")
          .values("x", {2, 4}, {8.5, 9.6, 9.9, 10.1, 10.4, 11.5, -9.0, 0.5})
          .attr("beta", 2.0)
          .oracle_only("threshold gradchecks both branches")
          .note("beta 2, x around 10 where beta*x crosses 20"));
}
