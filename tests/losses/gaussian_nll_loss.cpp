// Test cases for losses/regression/gaussian_nll_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(gaussian_nll_loss) {
  add(Case("gaussian_nll_loss").normal("input", {4, 3}).normal("target", {4, 3})
          .in("var", {4, 3}, 0.3, 2.0).note("heteroscedastic: var shaped like the input"));
  add(Case("gaussian_nll_loss", "homoscedastic").normal("input", {2, 3, 2})
          .normal("target", {2, 3, 2}).in("var", {2, 3}, 0.3, 2.0).attr("full", true)
          .note("var [2,3] for input [2,3,2]: unsqueezed at the last dim, full"));
  add(Case("gaussian_nll_loss", "last_one_sum").normal("input", {3, 4}).normal("target", {3, 4})
          .in("var", {3, 1}, 0.3, 2.0).attr("reduction", "sum")
          .note("var [3,1] broadcast over the last dim, reduction sum"));
  add(Case("gaussian_nll_loss", "target_broadcast").normal("input", {3, 4})
          .normal("target", {3, 1}).in("var", {3, 4}, 0.3, 2.0).attr("reduction", "none")
          .note("target [3,1] broadcast to the input, reduction none"));
  add(Case("gaussian_nll_loss", "clamped").normal("input", {2, 3}).normal("target", {2, 3})
          .values("var", {2, 3}, {0.0, 1e-9, 0.5, 2.0, 1e-7, 1.0}).attr("eps", 1e-6)
          .at_kink("var <= eps sits on the clamp, whose gradient passes straight (PyTorch's "
                   "no_grad clamp): not the derivative of the value, and finite differences "
                   "would step to a negative variance")
          .note("variances below eps, 0 included: clamped, gradient straight through"));
}
