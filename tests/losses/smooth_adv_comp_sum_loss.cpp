// Test cases for losses/robust/smooth_adv_comp_sum_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(smooth_adv_comp_sum_loss) {
  add(Case("smooth_adv_comp_sum_loss").normal("input", {4, 5}).normal("adv_input", {4, 5})
          .index("target", {4}, 5).attr("tau", 0.5)
          .note("the catalog's example: tau 0.5, nu 1, margin differences"));
  add(Case("smooth_adv_comp_sum_loss", "scores_none").normal("input", {3, 4})
          .normal("adv_input", {3, 4}).index("target", {3}, 4).attr("nu", 0.3)
          .attr("diff", "scores").attr("reduction", "none")
          .note("the scores reading, nu 0.3, cross-entropy base, reduction none"));
  add(Case("smooth_adv_comp_sum_loss", "tau2_sum").normal("input", {3, 3})
          .normal("adv_input", {3, 3}).index("target", {3}, 3).attr("tau", 2.0)
          .attr("reduction", "sum").note("tau 2 (mean absolute error member), reduction sum"));
}
