// Test cases for losses/generative/attention_refocusing_loss.cpp (conformance, oracle: its
// defined backward, min and max detached, is checked against PyTorch's autograd).
#include "tests/support/cases.h"

LATHE_CASES(attention_refocusing_loss) {
  const char* why = "the per-map min and max are detached: a defined backward";
  std::vector<double> masks(64), odd(50), ones(9, 1.0);
  for (size_t i = 0; i < masks.size(); ++i) masks[i] = (i * 7 + i / 5) % 5 < 2 ? 1.0 : 0.0;
  for (size_t i = 0; i < odd.size(); ++i) odd[i] = (i * 3 + i / 4) % 4 == 0 ? 1.0 : 0.0;
  add(Case("attention_refocusing_loss").in("input", {2, 2, 2, 2, 2}, 0.0, 1.0)
          .values("target", {2, 2, 4, 4}, masks).no_gradcheck(why)
          .note("2 samples, 2 tokens, 2 maps of 2 x 2 resized to 4 x 4, reduction sum"));
  add(Case("attention_refocusing_loss", "odd_mean").in("input", {1, 2, 2, 3, 3}, 0.0, 1.0)
          .values("target", {1, 2, 5, 5}, odd).attr("weight", 1.0).attr("reduction", "mean")
          .no_gradcheck(why).note("3 x 3 maps to 5 x 5 (no integer ratio), weight 1, mean"));
  add(Case("attention_refocusing_loss", "ones_none").in("input", {1, 1, 3, 3, 3}, 0.0, 1.0)
          .values("target", {1, 1, 3, 3}, ones).attr("reduction", "none").no_gradcheck(why)
          .note("masks of ones: 0; same size (identity resize)"));
  add(Case("attention_refocusing_loss", "zeros").in("input", {1, 1, 2, 2, 3}, 0.0, 1.0)
          .values("target", {1, 1, 3, 4}, std::vector<double>(12, 0.0)).no_gradcheck(why)
          .note("masks of zeros: every pixel penalized; 2 x 3 maps to 3 x 4"));
}
