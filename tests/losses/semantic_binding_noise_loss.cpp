// Test cases for losses/generative/semantic_binding_noise_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(semantic_binding_noise_loss) {
  add(Case("semantic_binding_noise_loss").normal("input", {1, 4, 4, 4})
          .normal("target", {1, 4, 4, 4}).note("the catalog's latent [1, 4, 4, 4] (8 x 8 halved)"));
  add(Case("semantic_binding_noise_loss", "sum").normal("input", {2, 3}).normal("target", {2, 3})
          .attr("reduction", "sum").note("reduction sum"));
  add(Case("semantic_binding_noise_loss", "identical_none")
          .values("input", {3}, {0.5, -1.0, 2.0}).values("target", {3}, {0.5, -1.0, 2.0})
          .attr("reduction", "none").note("identical predictions: 0"));
}
