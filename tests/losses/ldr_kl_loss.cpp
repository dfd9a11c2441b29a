// Test cases for losses/robust/ldr_kl_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(ldr_kl_loss) {
  add(Case("ldr_kl_loss").normal("input", {5, 4}).index("target", {5}, 4)
          .note("[5,4], the class defaults margin 2, lambda 1, softplus_norm"));
  add(Case("ldr_kl_loss", "script").normal("input", {5, 4}).index("target", {5}, 4)
          .attr("margin", 0.1).attr("lam", 10.0).attr("reduction", "sum")
          .note("the experiment script's margin 0.1, lambda 10, reduction sum"));
  add(Case("ldr_kl_loss", "raw_ce").normal("input", {4, 3}, 2.0).index("target", {4}, 3)
          .attr("margin", 0.0).attr("softplus_norm", false).attr("reduction", "none")
          .note("c 0, lambda 1, no normalization: CE - log C, reduction none"));
  add(Case("ldr_kl_loss", "small_lambda").normal("input", {3, 5}, 3.0).index("target", {3}, 5)
          .attr("lam", 0.01).oracle_only("lambda 0.01 with large margins: near the hinge")
          .note("lambda 0.01, scores of scale 3: finite, near the hinge"));
}
