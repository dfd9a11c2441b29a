// Test cases for losses/regression/impact_synth_loss.cpp (gradcheck, conformance, oracle).
// An empty feature list (the L1 term alone) is a unit test: a case cannot hold zero inputs of a
// variadic name (tests/losses/stragglers_test.cpp).
#include "tests/support/cases.h"

LATHE_CASES(impact_synth_loss) {
  // the two sides on grids 0.1 apart: |a - b| stays away from its kink
  add(Case("impact_synth_loss").on_grid("sct", {2, 1, 3, 3}).on_grid("ct", {2, 1, 3, 3}, true)
          .on_grid("feats_sct", {2, 4, 2, 2}).on_grid("feats_sct", {2, 3})
          .on_grid("feats_ct", {2, 4, 2, 2}, true).on_grid("feats_ct", {2, 3}, true)
          .note("two feature layers, every w_l 1, pix_weight 1"));
  add(Case("impact_synth_loss", "weights").on_grid("sct", {1, 1, 4}).on_grid("ct", {1, 1, 4}, true)
          .on_grid("feats_sct", {1, 5}).on_grid("feats_sct", {1, 2, 2})
          .on_grid("feats_ct", {1, 5}, true).on_grid("feats_ct", {1, 2, 2}, true)
          .values("layer_weights", {2}, {0.0, 2.5}).attr("pix_weight", 0.5)
          .note("a layer with w 0 (skipped), w 2.5, pix_weight 0.5"));
}
