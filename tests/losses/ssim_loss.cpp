// Test cases for losses/image/ssim_loss.cpp (gradcheck, conformance, oracle).
#include <cmath>
#include <vector>

#include "tests/support/cases.h"

LATHE_CASES(ssim_loss) {
  // x = y: loss exactly 0 (and a zero gradient: the minimum)
  std::vector<double> img(30);
  for (size_t i = 0; i < img.size(); ++i) img[i] = 0.5 + 0.4 * std::sin(0.9 * i + 0.3);
  add(Case("ssim_loss").in("input", {2, 1, 4, 7}, 0.0, 1.0).in("target", {2, 1, 4, 7}, 0.0, 1.0)
          .note("images [2,1,4,7] in [0, 1]: 11x11 window on a smaller image (zero padding)"));
  add(Case("ssim_loss", "channels_none").in("input", {1, 3, 4, 5}, 0.0, 1.0)
          .in("target", {1, 3, 4, 5}, 0.0, 1.0).attr("reduction", "none")
          .note("three channels, reduction none: the [1,3,4,5] map"));
  add(Case("ssim_loss", "sum").in("input", {1, 2, 5, 3}, 0.0, 1.0)
          .in("target", {1, 2, 5, 3}, 0.0, 1.0).attr("reduction", "sum"));
  add(Case("ssim_loss", "consistency").in("input", {2, 1, 5, 6}, 0.0, 1.0)
          .in("target", {2, 1, 5, 6}, 0.0, 1.0).attr("variant", "consistency")
          .note("GCoNet+'s saliency_structure_consistency: 3x3 box statistics"));
  add(Case("ssim_loss", "identical").values("input", {1, 1, 5, 6}, img)
          .values("target", {1, 1, 5, 6}, img).note("x = y: loss 0"));
  add(Case("ssim_loss", "constant").values("input", {1, 1, 4, 4}, std::vector<double>(16, 0.3))
          .in("target", {1, 1, 4, 4}, 0.0, 1.0)
          .note("a constant image: sigma_x = 0, finite through C1 and C2"));
}
