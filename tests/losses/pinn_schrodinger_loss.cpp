// Test cases for losses/regression/pinn_schrodinger_loss.cpp (gradcheck, conformance, oracle).
// The op's gradient is a third derivative of the network, its gradcheck's second order a fourth.
#include "tests/support/cases.h"

LATHE_CASES(pinn_schrodinger_loss) {
  add(Case("pinn_schrodinger_loss").values("x", {5, 1}, {0.0, 0.2, 0.5, 0.7, 1.0})
          .values("v", {5, 1}, {0, 0, 0, 0, 0}).values("energy", {1}, {9.8696044010893586})
          .normal("w1", {3, 1}).normal("b1", {3}).normal("w2", {1, 3}).normal("b2", {1})
          .note("the infinite well: V = 0, E = pi^2, points at both boundaries (psi = 0)"));
  add(Case("pinn_schrodinger_loss", "finite_well").in("x", {4, 1}, 0.1, 0.9)
          .values("v", {4, 1}, {0, 5, 5, 0}).values("energy", {1}, {3.0}).normal("w1", {2, 1})
          .normal("b1", {2}).normal("w2", {1, 2}).normal("b2", {1}).attr("lambda_norm", 0.5)
          .note("a finite well with a trainable E, lambda_norm 0.5, unsorted points"));
}
