// Test cases for ops/grad/gradient_reversal.cpp (conformance, oracle against a PyTorch
// autograd.Function with the official rule; finite differences would see the identity).
#include "tests/support/cases.h"

LATHE_CASES(gradient_reversal) {
  const char* why = "custom backward -coeff grad: checked against the reference rule instead";
  add(Case("gradient_reversal").normal("x", {3, 4}).no_gradcheck(why)
          .note("coeff 1 (adv_weight's default)"));
  add(Case("gradient_reversal", "coeff").normal("x", {2, 3, 2}).attr("coeff", 0.25)
          .no_gradcheck(why).note("coeff 0.25"));
  add(Case("gradient_reversal", "zero").normal("x", {5}).attr("coeff", 0.0).no_gradcheck(why)
          .note("coeff 0 blocks the gradient"));
}
