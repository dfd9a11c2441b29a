// Test cases for losses/generative/ddpm_eps_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(ddpm_eps_loss) {
  add(Case("ddpm_eps_loss").normal("input", {2, 2, 4, 4}).normal("target", {2, 2, 4, 4}, 0.5)
          .normal("negative", {2, 2, 4, 4}, 0.5)
          .note("diff_flag 1 with the hinge active (MSE+ about 1.25, MSE- about 0.5)"));
  add(Case("ddpm_eps_loss", "plain").normal("input", {2, 3, 2, 2}).normal("target", {2, 3, 2, 2})
          .note("diff_flag 2: plain MSE"));
  add(Case("ddpm_eps_loss", "hinge_off").normal("input", {2, 8}, 0.5).normal("target", {2, 8}, 0.5)
          .normal("negative", {2, 8}, 3.0).attr("margin", 0.2)
          .note("the hinge inactive (MSE- much larger), margin 0.2"));
  add(Case("ddpm_eps_loss", "identical_predictions")
          .values("input", {2, 2}, {0.5, -1.0, 0.25, 1.5})
          .normal("target", {2, 2})
          .values("negative", {2, 2}, {0.5, -1.0, 0.25, 1.5})
          .oracle_only("eps^ = eps^- is a value pattern: (MSE + margin) / 2")
          .note("identical positive and negative predictions"));
}
