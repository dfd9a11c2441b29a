// Test cases for losses/image/ms_ssim_loss.cpp (gradcheck, conformance, oracle). The images
// are smooth patterns and the targets small perturbations of them, so that every cs term stays
// well above 0 (the relu's kink) at every scale. Oracle fixtures hold at most 64 elements per
// tensor, so the fixture cases use few scales or win_size 1; the cases with more scales are
// gradchecked and run on every backend, and image_test.cpp checks the default window and 5
// scales against values of pytorch-msssim itself.
#include <cmath>
#include <vector>

#include "tests/support/cases.h"

LATHE_CASES(ms_ssim_loss) {
  auto image = [](int64_t n, double phase, double noise) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      double t = static_cast<double>(i);
      v[i] = 0.5 + 0.3 * std::sin(0.37 * t + phase) * std::cos(0.05 * t) +
             noise * std::sin(12.9898 * t + 78.233 * phase);
    }
    return v;
  };
  const char* big = "more than the fixtures' 64 elements per tensor: image_test.cpp checks the "
                    "values against pytorch-msssim";
  add(Case("ms_ssim_loss").values("input", {1, 1, 5, 6}, image(30, 0.0, 0.05))
          .values("target", {1, 1, 5, 6}, image(30, 0.0, 0.0)).attr("win_size", 3)
          .values("weights", {2}, {0.4, 0.6})
          .note("2 scales at win_size 3: odd height (padded pooling), a 1x1 valid map last"));
  add(Case("ms_ssim_loss", "batch_none").values("input", {2, 2, 5, 3}, image(60, 1.0, 0.05))
          .values("target", {2, 2, 5, 3}, image(60, 1.0, 0.0)).attr("win_size", 3)
          .attr("win_sigma", 1.0).attr("data_range", 2.0).values("weights", {1}, {1.0})
          .attr("reduction", "none").note("one scale (SSIM per channel), reduction none [2, 2]"));
  add(Case("ms_ssim_loss", "five_scales_win1").values("input", {1, 1, 8, 8}, image(64, 2.0, 0.1))
          .values("target", {1, 1, 8, 8}, image(64, 2.0, 0.0)).attr("win_size", 1)
          .attr("reduction", "sum")
          .note("the 5 standard weights with win_size 1: pooling down to 1x1 (8, 4, 2, 1, 1)"));
  add(Case("ms_ssim_loss", "volume").values("input", {1, 1, 3, 4, 5}, image(60, 3.0, 0.05))
          .values("target", {1, 1, 3, 4, 5}, image(60, 3.0, 0.0)).attr("win_size", 3)
          .values("weights", {1}, {1.0}).note("a 3-D volume: conv3d windows"));
  add(Case("ms_ssim_loss", "identical").values("input", {1, 2, 5, 5}, image(50, 4.0, 0.0))
          .values("target", {1, 2, 5, 5}, image(50, 4.0, 0.0))
          .values("weights", {2}, {0.5, 0.5}).attr("win_size", 3)
          .note("x = y: every term is 1, loss 0"));
  add(Case("ms_ssim_loss", "five_scales").values("input", {1, 1, 33, 34}, image(1122, 0.0, 0.05))
          .values("target", {1, 1, 33, 34}, image(1122, 0.0, 0.0)).attr("win_size", 3)
          .no_oracle(big).note("5 standard scales at win_size 3: sides > 32, odd sizes"));
  add(Case("ms_ssim_loss", "three_scales").values("input", {2, 2, 17, 19}, image(1292, 1.0, 0.05))
          .values("target", {2, 2, 17, 19}, image(1292, 1.0, 0.0))
          .values("weights", {3}, {0.2, 0.3, 0.5}).attr("win_size", 5).attr("win_sigma", 1.0)
          .attr("reduction", "none").no_oracle(big).note("3 scales, win 5 sigma 1, none [2, 2]"));
  add(Case("ms_ssim_loss", "volume_scales")
          .values("input", {1, 1, 9, 10, 11}, image(990, 2.0, 0.05))
          .values("target", {1, 1, 9, 10, 11}, image(990, 2.0, 0.0))
          .values("weights", {2}, {0.4, 0.6}).attr("win_size", 3).attr("data_range", 2.0)
          .attr("reduction", "sum").no_oracle(big)
          .note("3-D volumes over 2 scales (2x2x2 pooling), data_range 2"));
}
