// Test cases for losses/segmentation/cldice_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(cldice_loss) {
  // one-hot [B, 2, S] of a binary foreground pattern fg [B, S]
  auto twoclass = [](const std::vector<int>& fg, int64_t b) {
    int64_t s = static_cast<int64_t>(fg.size()) / b;
    std::vector<double> v(static_cast<size_t>(2 * b * s));
    for (int64_t i = 0; i < b; ++i)
      for (int64_t j = 0; j < s; ++j) {
        v[static_cast<size_t>(2 * i * s + j)] = 1.0 - fg[i * s + j];
        v[static_cast<size_t>((2 * i + 1) * s + j)] = fg[i * s + j];
      }
    return v;
  };
  // a 5x5 vessel-like cross and, in the 3-D case, a bar through a 3x3x3 volume
  std::vector<int> cross = {0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0,
                            0, 0, 1, 0, 0};
  add(Case("cldice_loss").distinct("input", {1, 2, 5, 5})
          .values("target", {1, 2, 5, 5}, twoclass(cross, 1))
          .note("2-D, a one-pixel-wide cross, iters 3, alpha 0.5"));
  add(Case("cldice_loss", "iters0").distinct("input", {1, 2, 4, 5})
          .values("target", {1, 2, 4, 5}, twoclass({0, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0,
                                                      0, 0, 0, 1, 0}, 1))
          .attr("iters", 0).attr("alpha", 0.3).attr("smooth", 0.5)
          .note("iters 0, alpha 0.3, smooth 0.5, a 4x5 image (odd sizes)"));
  add(Case("cldice_loss", "empty_fg").distinct("input", {1, 2, 4, 4})
          .values("target", {1, 2, 4, 4}, twoclass(std::vector<int>(16, 0), 1))
          .note("empty foreground: tsens from the smoothing alone"));
  add(Case("cldice_loss", "volume").distinct("input", {1, 2, 3, 3, 3})
          .values("target", {1, 2, 3, 3, 3},
                  twoclass({0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1,
                            0, 0, 0, 0}, 1))
          .attr("iters", 2).note("3-D [1,2,3,3,3], iters 2"));
}
