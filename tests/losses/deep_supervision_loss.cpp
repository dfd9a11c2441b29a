// Test cases for losses/classification/deep_supervision_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(deep_supervision_loss) {
  add(Case("deep_supervision_loss").normal("head_logits", {4, 3}).normal("head_logits", {4, 3})
          .normal("head_logits", {4, 3}).index("target", {4}, 3)
          .values("weights", {3}, {0.5, 0.5, 1.0}).note("the catalog's example: three heads"));
  add(Case("deep_supervision_loss", "one_head_none").normal("head_logits", {3, 5})
          .index("target", {3}, 5).values("weights", {1}, {2.0}).attr("reduction", "none")
          .note("a single head, weight 2, reduction none"));
}
