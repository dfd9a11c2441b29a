// Test cases for losses/generative/occsdf_feature_render_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(occsdf_feature_render_loss) {
  std::vector<double> z{0.1, 0.4, 0.6, 1.1, 0.2, 0.3, 0.7, 0.9};
  add(Case("occsdf_feature_render_loss").in("sigma", {2, 4}, 0.1, 2.0).values("z_vals", {2, 4}, z)
          .normal("feats", {2, 4, 3}).normal("dec_w", {3, 3}).normal("dec_b", {3}, 0.1)
          .in("target", {2, 3}, 0.0, 1.0).note("2 rays of 4 samples, 3-d features, lam_dec 1"));
  add(Case("occsdf_feature_render_loss", "lam0_sum").in("sigma", {3, 2}, 0.1, 2.0)
          .values("z_vals", {3, 2}, {0.1, 0.5, 0.2, 0.3, 0.0, 0.8}).normal("feats", {3, 2, 4})
          .normal("dec_w", {2, 4}).normal("dec_b", {2}, 0.1).in("target", {3, 2}, 0.0, 1.0)
          .attr("lam_dec", 0.0).attr("reduction", "sum")
          .note("render-then-decode only, 2 colour channels, reduction sum"));
  add(Case("occsdf_feature_render_loss", "opaque_none")
          .values("sigma", {1, 3}, {50.0, 0.5, 0.5}).values("z_vals", {1, 3}, {0.1, 0.5, 0.9})
          .normal("feats", {1, 3, 2}).normal("dec_w", {3, 2}).normal("dec_b", {3}, 0.1)
          .in("target", {1, 3}, 0.0, 1.0).attr("lam_dec", 0.5).attr("reduction", "none")
          .note("an opaque first sample (sigma delta = 20), reduction none"));
  add(Case("occsdf_feature_render_loss", "transparent")
          .values("sigma", {1, 3}, {0.0, 0.0, 0.0}).values("z_vals", {1, 3}, {0.1, 0.5, 0.9})
          .normal("feats", {1, 3, 2}).normal("dec_w", {3, 2}).normal("dec_b", {3}, 0.1)
          .in("target", {1, 3}, 0.0, 1.0)
          .at_kink("zero density: the last sample's delta 1e10 makes finite differences "
                   "meaningless at sigma = 0")
          .note("zero density everywhere: zero weights"));
}
