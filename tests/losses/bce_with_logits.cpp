// Test cases for losses/classification/bce_with_logits.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(bce_with_logits) {
  add(Case("bce_with_logits").normal("input", {4, 3}).in("target", {4, 3}, 0.0, 1.0)
          .note("logits [4,3], soft targets in [0, 1]"));
  add(Case("bce_with_logits", "pos_weight").normal("input", {4, 3}).in("target", {4, 3}, 0.0, 1.0)
          .in("pos_weight", {3}, 0.5, 2.0)
          .note("pos_weight [3] broadcast over the last dim"));
  add(Case("bce_with_logits", "weight_sum").normal("input", {2, 3, 2})
          .in("target", {2, 3, 2}, 0.0, 1.0).in("weight", {3, 1}, 0.5, 2.0)
          .in("pos_weight", {2}, 0.5, 2.0).attr("reduction", "sum")
          .note("weight [3,1] and pos_weight [2] broadcast, reduction sum"));
  add(Case("bce_with_logits", "hard_none").normal("input", {6})
          .values("target", {6}, {0, 1, 1, 0, 1, 0}).attr("reduction", "none")
          .note("targets exactly 0 and 1, reduction none"));
  add(Case("bce_with_logits", "extreme")
          .values("input", {2, 3}, {1e4, -1e4, 0.5, -1e4, 1e4, -30.0})
          .values("target", {2, 3}, {0, 1, 1, 0, 1, 0.25}).in("pos_weight", {3}, 0.5, 2.0)
          .oracle_only("saturated logits: the values are the point, not the derivative")
          .note("logits of +-1e4 and -30: finite, no overflow"));
}
