// Test cases for ops/hyperbolic/riemannian_grad.cpp (conformance, oracle against a PyTorch
// autograd.Function with Hyp-OC's rule; finite differences would see the identity).
#include "tests/support/cases.h"

LATHE_CASES(riemannian_grad) {
  const char* why = "custom backward: checked against the reference rule instead";
  add(Case("riemannian_grad").in("x", {3, 4}, -1.0, 1.0).no_gradcheck(why)
          .note("c 0.1, points inside"));
  add(Case("riemannian_grad", "boundary").values("x", {3, 2}, {0, 0, 0.7, 0.7, 0.0, 0.999})
          .attr("c", 1.0).no_gradcheck(why)
          .note("c 1: the origin (scale 1/4) and points near the boundary (scale -> 0)"));
}
