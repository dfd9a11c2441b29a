// Test cases for ops/activation/soft_threshold.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(soft_threshold) {
  add(Case("soft_threshold").on_grid("x", {5}, true).values("lam", {}, {0.3})
          .note("x on the half-integer grid (|x| - 0.3 >= 0.1 from the kink), lam 0.3"));
  add(Case("soft_threshold", "per_feature").on_grid("x", {3, 4}, true)
          .values("lam", {4}, {0.3, 0.8, 1.2, 0.05})
          .note("a learnable threshold per feature [4] broadcast over rows"));
  add(Case("soft_threshold", "zero_lam").away("x", {6}).values("lam", {}, {0.0})
          .note("lam 0 is the identity"));
  add(Case("soft_threshold", "kinks").values("x", {6}, {-0.5, -0.3, 0.0, 0.3, 0.5, 3.0})
          .values("lam", {}, {0.3})
          .at_kink("|x| = lam and x = 0: output 0, gradients 0 (softshrink's rule)")
          .note("|x| exactly lam and x = 0"));
  add(Case("soft_threshold", "all_below").in("x", {4}, -0.5, 0.5).values("lam", {}, {2.0})
          .note("lam above every |x|: all zeros, zero gradient"));
}
