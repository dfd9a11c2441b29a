// Test cases for losses/ranking/bpr_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(bpr_loss) {
  add(Case("bpr_loss").normal("pos", {6}).normal("neg", {6}).note("six (s+, s-) pairs, mean"));
  add(Case("bpr_loss", "none_2d").normal("pos", {3, 4}, 3.0).normal("neg", {3, 4}, 3.0)
          .attr("reduction", "none").note("[3,4] scores of scale 3, reduction none"));
  add(Case("bpr_loss", "sum").normal("pos", {5}).normal("neg", {5}).attr("reduction", "sum")
          .note("reduction sum"));
  add(Case("bpr_loss", "large_gap").values("pos", {4}, {1e4, -1e4, 30.0, 0.0})
          .values("neg", {4}, {-1e4, 1e4, -30.0, 0.0})
          .oracle_only("score gaps of +-2e4 and +-60: the values are the point")
          .note("gaps of +-2e4, +-60 and 0: finite, no overflow"));
}
