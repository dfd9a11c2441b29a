// Test cases for ops/activation/hard_threshold.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(hard_threshold) {
  add(Case("hard_threshold").on_grid("x", {5}, true).values("lam", {}, {0.3})
          .note("x on the half-integer grid, lam 0.3"));
  add(Case("hard_threshold", "per_feature").on_grid("x", {3, 4}, true)
          .values("lam", {4}, {0.3, 0.8, 1.2, 0.05})
          .note("a threshold per feature [4] broadcast over rows"));
  add(Case("hard_threshold", "iht").normal("x", {6})
          .values("lam", {}, {0.3}).note("lam = sqrt(2 g l0) for g 0.5, l0 0.09 (IHT step)"));
  add(Case("hard_threshold", "kinks").values("x", {6}, {-0.5, -0.3, 0.0, 0.3, 0.5, 3.0})
          .values("lam", {}, {0.3})
          .at_kink("|x| = lam is dropped (strict inequality, as hardshrink)")
          .note("|x| exactly lam"));
  add(Case("hard_threshold", "negative_lam").normal("x", {5}).values("lam", {}, {-1.0})
          .note("a negative lam keeps everything (identity)"));
}
