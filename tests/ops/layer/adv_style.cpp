// Test cases for ops/layer/adv_style.cpp (gradcheck, conformance, oracle against a PyTorch
// gradient-reversal Function).
#include "tests/support/cases.h"

LATHE_CASES(adv_style) {
  const char* reversed = "the s gradients are reversed by definition (checked against the "
                         "reference's GRL; the coeff -1 case is gradchecked)";
  add(Case("adv_style").normal("x", {3, 2, 3, 3}).in("s_mu", {1, 2, 1, 1}, 0.2, 1.0)
          .in("s_sigma", {1, 2, 1, 1}, 0.2, 1.0).normal("eps_mu", {3, 2, 1, 1})
          .normal("eps_sigma", {3, 2, 1, 1}).no_gradcheck(reversed)
          .note("coeff 1: the AdvStyle branch as trained"));
  add(Case("adv_style", "plain_gradient").normal("x", {2, 3, 2, 3})
          .in("s_mu", {1, 3, 1, 1}, 0.2, 1.0).in("s_sigma", {1, 3, 1, 1}, 0.2, 1.0)
          .normal("eps_mu", {2, 3, 1, 1}).normal("eps_sigma", {2, 3, 1, 1}).attr("coeff", -1.0)
          .note("coeff -1: the GRL passes g unchanged, so every gradient is the derivative"));
  add(Case("adv_style", "half").normal("x", {2, 2, 4, 2}, 3.0)
          .in("s_mu", {1, 2, 1, 1}, 0.2, 1.0).in("s_sigma", {1, 2, 1, 1}, 0.2, 1.0)
          .normal("eps_mu", {2, 2, 1, 1}).normal("eps_sigma", {2, 2, 1, 1})
          .attr("coeff", 0.5).no_gradcheck(reversed).note("coeff 0.5, non-square maps"));
}
