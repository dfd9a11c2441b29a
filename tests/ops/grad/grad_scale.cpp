// Test cases for ops/grad/grad_scale.cpp (conformance, oracle against a PyTorch
// autograd.Function with the official rule; finite differences would see the identity).
#include "tests/support/cases.h"

LATHE_CASES(grad_scale) {
  const char* why = "custom backward kappa grad: checked against the reference rule instead";
  add(Case("grad_scale").normal("x", {3, 4}).attr("kappa", 2.0).no_gradcheck(why)
          .note("kappa 2"));
  add(Case("grad_scale", "negative").normal("x", {6}).attr("kappa", -0.5).no_gradcheck(why)
          .note("kappa < 0 reverses the gradient"));
  add(Case("grad_scale", "zero").normal("x", {2, 2}).attr("kappa", 0.0).no_gradcheck(why)
          .note("kappa 0 blocks the gradient"));
}
