// Test cases for losses/segmentation/cbdice_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(cbdice_loss) {
  // one-hot [B, C, S] of labels [B, S]
  auto onehot = [](const std::vector<int>& labels, int64_t b, int64_t c) {
    int64_t s = static_cast<int64_t>(labels.size()) / b;
    std::vector<double> v(static_cast<size_t>(b * c * s), 0.0);
    for (int64_t i = 0; i < b; ++i)
      for (int64_t j = 0; j < s; ++j)
        v[static_cast<size_t>((i * c + labels[i * s + j]) * s + j)] = 1;
    return v;
  };
  // a thick bar (rows 1-3) with a one-pixel spur: skeleton along its middle row
  std::vector<int> bar = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1,
                          1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0};
  add(Case("cbdice_loss").normal("input", {1, 2, 5, 6}, 2.0)
          .values("target", {1, 2, 5, 6}, onehot(bar, 1, 2))
          .note("2-D, a thick bar with a spur, defaults"));
  std::vector<int> two = {0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 2, 2, 0, 0, 0, 2, 2};
  add(Case("cbdice_loss", "classes").normal("input", {1, 3, 4, 5}, 2.0)
          .values("target", {1, 3, 4, 5}, onehot(two, 1, 3))
          .values("weight", {3}, {0.5, 1.0, 2.0}).attr("alpha", 2.0).attr("smooth", 0.5)
          .attr("iters", 2)
          .note("two foreground classes (max over their logits), class weights, alpha 2"));
  std::vector<int> rod(27, 0);
  for (int i = 0; i < 3; ++i) rod[static_cast<size_t>(i * 9 + 4)] = 1;
  add(Case("cbdice_loss", "volume").normal("input", {1, 2, 3, 3, 3}, 2.0)
          .values("target", {1, 2, 3, 3, 3}, onehot(rod, 1, 2)).note("3-D, a one-voxel rod"));
  add(Case("cbdice_loss", "empty_fg").normal("input", {1, 2, 4, 4}, 2.0)
          .values("target", {1, 2, 4, 4}, onehot(std::vector<int>(16, 0), 1, 2))
          .note("no foreground: the target weights vanish"));
}
