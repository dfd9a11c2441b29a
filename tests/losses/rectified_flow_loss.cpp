// Test cases for losses/generative/rectified_flow_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(rectified_flow_loss) {
  add(Case("rectified_flow_loss").normal("input", {3, 4}).normal("x0", {3, 4})
          .normal("eps", {3, 4}).note("the catalog's example shapes [3, 4], reduction mean"));
  add(Case("rectified_flow_loss", "latent_sum").normal("input", {2, 2, 3, 3})
          .normal("x0", {2, 2, 3, 3}).normal("eps", {2, 2, 3, 3}).attr("reduction", "sum")
          .note("latents [2, 2, 3, 3], reduction sum"));
  add(Case("rectified_flow_loss", "x0_is_eps_none").normal("input", {2, 3})
          .values("x0", {2, 3}, {0.5, -1.0, 0.25, 2.0, -0.75, 1.5})
          .values("eps", {2, 3}, {0.5, -1.0, 0.25, 2.0, -0.75, 1.5}).attr("reduction", "none")
          .note("x0 = eps: the target velocity is 0, reduction none"));
}
