// Test cases for losses/lm/dco_loss.cpp (gradcheck of 'exact'; conformance and oracle of both;
// the 'reference' variant's defined backward is checked against PyTorch's autograd).
#include "tests/support/cases.h"

LATHE_CASES(dco_loss) {
  const char* why = "'reference' detaches F(N, p): a defined backward, not the derivative";
  const std::vector<double> mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0,
                                    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  add(Case("dco_loss").in("token_logp", {4, 6}, -2.0, -0.01).values("mask", {4, 6}, mask)
          .no_gradcheck(why).note("the catalog's example: N 16, reference, a shorter row"));
  add(Case("dco_loss", "pade").in("token_logp", {2, 3}, -3.0, -1.5)
          .values("mask", {2, 3}, {1, 1, 1, 1, 1, 0}).attr("N", 4).attr("reduction", "sum")
          .no_gradcheck(why).note("N p < 0.1: the Pade branch, reduction sum"));
  add(Case("dco_loss", "exact").in("token_logp", {4, 6}, -2.0, -0.01)
          .values("mask", {4, 6}, mask).attr("variant", "exact")
          .note("the paper's objective -log(1 - (1 - p)^N), N 16"));
  add(Case("dco_loss", "exact_n1_none").in("token_logp", {3, 2}, -1.0, -0.05)
          .values("mask", {3, 2}, {1, 1, 1, 0, 0, 1}).attr("N", 1).attr("variant", "exact")
          .attr("reduction", "none").note("N 1: the sequence NLL, reduction none"));
  add(Case("dco_loss", "exact_far").values("token_logp", {2, 1}, {-200.0, -1e-3})
          .values("mask", {2, 1}, {1, 1}).attr("variant", "exact").attr("reduction", "none")
          .oracle_only("log p = -200 and -1e-3: the stable forms are the point")
          .note("log p = -200 (finite: 200 - log 16) and p near 1"));
}
