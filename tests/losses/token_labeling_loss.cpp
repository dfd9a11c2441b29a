// Test cases for losses/segmentation/token_labeling_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(token_labeling_loss) {
  // one-hot [B, K, S] of labels [B, S]
  auto onehot = [](const std::vector<int>& labels, int64_t b, int64_t k) {
    int64_t s = static_cast<int64_t>(labels.size()) / b;
    std::vector<double> v(static_cast<size_t>(b * k * s), 0.0);
    for (int64_t i = 0; i < b; ++i)
      for (int64_t j = 0; j < s; ++j)
        v[static_cast<size_t>((i * k + labels[i * s + j]) * s + j)] = 1;
    return v;
  };
  std::vector<int> lab = {0, 0, 1, 1, 0, 0, 1, 1, 2, 0, 2, 2, 2, 0, 0, 0, 0, 1, 1, 0};
  add(Case("token_labeling_loss").normal("token_logits", {1, 3, 3, 3})
          .normal("token_logits", {1, 3, 2, 2})
          .values("onehot_map", {1, 3, 5, 4}, onehot(lab, 1, 3))
          .attr("num_boxes", 3.0)
          .note("two levels 3x3 and 2x2 of a 5x4 map (windows the grid does not divide)"));
  add(Case("token_labeling_loss", "larger_tokens").normal("token_logits", {2, 2, 3, 4})
          .values("onehot_map", {2, 2, 2, 3},
                  {1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0})
          .attr("num_boxes", 2.0)
          .note("a token map larger than the mask; image 1 without instances"));
}
