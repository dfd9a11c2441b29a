// Test cases for losses/contrastive/wpc_loss.cpp (gradcheck, conformance, oracle). The loss
// holds a first derivative of the critic: its gradcheck's second order is a third.
#include "tests/support/cases.h"

LATHE_CASES(wpc_loss) {
  add(Case("wpc_loss").normal("x", {4, 3}).normal("y", {4, 2}).normal("wx", {5, 3})
          .normal("wy", {5, 2}).note("N 4, critic width 5, lam_gp 10"));
  add(Case("wpc_loss", "lam1").normal("x", {3, 2}).normal("y", {3, 2}).normal("wx", {2, 2}, 0.5)
          .normal("wy", {2, 2}, 0.5).attr("lam_gp", 1.0).note("lam_gp 1, a weak critic"));
}
