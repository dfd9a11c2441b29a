// Test cases for losses/calibration/mixup_cross_entropy.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(mixup_cross_entropy) {
  using lathe::DType;
  add(Case("mixup_cross_entropy").normal("input", {6, 3}).index("target", {6}, 3)
          .values("perms", {2, 6}, {3, 0, 5, 1, 4, 2, 1, 2, 0, 5, 3, 4}, DType::i64)
          .values("weights", {3}, {0.5, 0.3, 0.2}).note("K = 3, the catalog's weights"));
  add(Case("mixup_cross_entropy", "k2_none").normal("input", {4, 5}).index("target", {4}, 5)
          .values("perms", {1, 4}, {2, 3, 0, 1}, DType::i64).values("weights", {2}, {0.7, 0.3})
          .attr("reduction", "none").note("standard Mixup (K = 2), reduction none"));
  add(Case("mixup_cross_entropy", "k1").normal("input", {3, 4}).index("target", {3}, 4)
          .values("perms", {0, 3}, {}, DType::i64).values("weights", {1}, {1.0})
          .attr("reduction", "sum").note("K = 1: perms [0,3], plain cross-entropy, sum"));
}
