// Test cases for losses/lm/logit_z_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(logit_z_loss) {
  using lathe::DType;
  add(Case("logit_z_loss").normal("input", {6, 10}, 3.0)
          .values("target", {6}, {1, -100, 3, 4, -100, 0}, DType::i64)
          .note("the catalog's example: two ignored tokens, reference mode"));
  add(Case("logit_z_loss", "masked").normal("input", {6, 10}, 3.0)
          .values("target", {6}, {1, -100, 3, 4, -100, 0}, DType::i64).attr("mode", "masked")
          .note("masked mode drops the ignored rows"));
  add(Case("logit_z_loss", "eps_none_ignored").normal("input", {4, 5}).index("target", {4}, 5)
          .attr("eps", 0.5).note("no token ignored, eps 0.5"));
  add(Case("logit_z_loss", "none").normal("input", {4, 6})
          .values("target", {4}, {2, -100, 5, 0}, DType::i64).attr("reduction", "none")
          .note("reduction none: per-token terms, the ignored one (log 6)^2 eps"));
  add(Case("logit_z_loss", "v1_ignore7").normal("input", {3, 1})
          .values("target", {3}, {0, 7, 0}, DType::i64).attr("ignore_index", 7)
          .note("V = 1 (LSE = the logit), ignore_index 7"));
}
