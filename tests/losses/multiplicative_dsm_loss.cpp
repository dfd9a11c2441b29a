// Test cases for losses/generative/multiplicative_dsm_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(multiplicative_dsm_loss) {
  add(Case("multiplicative_dsm_loss").normal("input", {4, 3}).in("x", {4, 3}, 0.5, 1.5)
          .normal("eps", {4, 3}).values("sigma", {}, {0.3})
          .note("the catalog's example: positive data [4, 3], sigma 0.3"));
  add(Case("multiplicative_dsm_loss", "per_sample_sum").normal("input", {2, 2, 3})
          .in("x", {2, 2, 3}, 0.5, 2.0).normal("eps", {2, 2, 3}).in("sigma", {2, 1, 1}, 0.2, 0.6)
          .attr("reduction", "sum").note("one sigma per sample [2, 1, 1], reduction sum"));
  add(Case("multiplicative_dsm_loss", "small_sigma_none").normal("input", {3, 2})
          .in("x", {3, 2}, 0.5, 1.5).normal("eps", {3, 2}).values("sigma", {3, 1}, {0.05, 0.1, 0.5})
          .attr("reduction", "none").note("small sigma (eps / sigma up to 40), reduction none"));
}
