// Test cases for ops/prim/softplus.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(softplus) {
  add(Case("softplus").in("x", {3, 4}));
  // beta 2, threshold 1: the linear branch for beta x > 1, away from the switch at x = 0.5.
  add(Case("softplus", "threshold").values("x", {6}, {-1.0, 0.2, 0.9, 1.5, -0.3, 0.7})
          .attr("beta", 2.0).attr("threshold", 1.0));
}
