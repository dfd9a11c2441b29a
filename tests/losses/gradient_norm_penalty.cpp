// Test cases for losses/regularizer/gradient_norm_penalty.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(gradient_norm_penalty) {
  add(Case("gradient_norm_penalty").normal("loss", {1}).normal("grads", {3, 2})
          .normal("grads", {4}).note("two parameter tensors' gradients, lam 1, eps 0, rho 1"));
  add(Case("gradient_norm_penalty", "attrs").normal("loss", {1}).normal("grads", {2, 2})
          .attr("lam", 0.5).attr("eps", 0.3).attr("rho", 2.0)
          .note("lam 0.5, eps 0.3, rho 2"));
}
