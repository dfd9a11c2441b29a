// Test cases for losses/regression/poisson_nll_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(poisson_nll_loss) {
  add(Case("poisson_nll_loss").normal("input", {4, 3}).in("target", {4, 3}, 0.0, 4.0)
          .note("log rates against counts (log_input)"));
  add(Case("poisson_nll_loss", "rate_sum").in("input", {4, 3}, 0.2, 3.0)
          .in("target", {4, 3}, 0.0, 4.0).attr("log_input", false).attr("reduction", "sum")
          .note("rates: x - t log(x + eps), reduction sum"));
  add(Case("poisson_nll_loss", "full_none").normal("input", {2, 5})
          .values("target", {2, 5}, {0.3, 0.5, 1.5, 2.0, 7.0, 3.5, 0.9, 1.2, 0.6, 5.0})
          .attr("full", true).attr("reduction", "none")
          .note("full: Stirling's term where t > 1 (t kept 0.1 away from 1; no t = 0, where "
                "PyTorch's target gradient is NaN)"));
  add(Case("poisson_nll_loss", "full_rate").in("input", {3, 3}, 0.2, 3.0)
          .in("target", {3, 3}, 1.2, 6.0).attr("full", true).attr("log_input", false)
          .attr("eps", 0.01).note("full with rates and eps 0.01"));
}
