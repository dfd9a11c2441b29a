// Test cases for ops/hyperbolic/hyp_feature_clip.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(hyp_feature_clip) {
  add(Case("hyp_feature_clip").normal("x", {4, 5}, 3.0)
          .note("r 2, |x| ~ 6: most rows clipped to radius 2"));
  add(Case("hyp_feature_clip", "r").normal("x", {3, 2}).attr("r", 1.0)
          .note("r 1, some rows inside (unchanged) and some clipped"));
  add(Case("hyp_feature_clip", "zero").values("x", {2, 2}, {0, 0, 0.6, 0.8})
          .at_kink("a zero row: the norm at 0 (gradient 0 as PyTorch)")
          .note("a zero row stays 0; |x| 1 < r unchanged"));
}
