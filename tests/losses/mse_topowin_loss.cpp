// Test cases for losses/segmentation/mse_topowin_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(mse_topowin_loss) {
  // two 3x3 blobs in an 8x8 image; one window, eroded once: two one-pixel seeds to split
  std::vector<double> blobs(64, 0.0);
  for (int r = 1; r < 4; ++r)
    for (int c = 1; c < 4; ++c) {
      blobs[static_cast<size_t>(r * 8 + c)] = 1.0;
      blobs[static_cast<size_t>((r + 3) * 8 + c + 3)] = 1.0;
    }
  add(Case("mse_topowin_loss").in("input", {1, 1, 8, 8}, 0.1, 3.0)
          .values("target", {1, 1, 8, 8}, blobs).attr("window", 8).attr("dilation", 1)
          .note("one 8x8 window, two blobs eroded to seeds, distinct costs"));
  // a 5x9 image: two whole 4x4 windows, the last row and column in none; no erosion
  std::vector<double> bars(45, 0.0);
  for (int r = 0; r < 4; ++r) {
    bars[static_cast<size_t>(r * 9)] = 1.0;
    bars[static_cast<size_t>(r * 9 + 3)] = 1.0;
    bars[static_cast<size_t>(r * 9 + 5)] = 1.0;
  }
  add(Case("mse_topowin_loss", "windows").in("input", {1, 1, 5, 9}, 0.1, 3.0)
          .values("target", {1, 1, 5, 9}, bars).attr("window", 4).attr("dilation", 0)
          .attr("alpha", 0.01).attr("malis_lr", 0.5).attr("weight_fg", 2.0)
          .attr("weight_bg", 0.5)
          .note("windows the image does not divide, bars as components, class weights"));
  add(Case("mse_topowin_loss", "mse_only").in("input", {2, 1, 4, 4}, 0.1, 3.0)
          .values("target", {2, 1, 4, 4}, {0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0,
                                           1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
          .note("defaults: no whole 64-pixel window, the distance-map MSE alone"));
}
