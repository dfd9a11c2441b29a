// Test cases for losses/other/depict_cluster_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(depict_cluster_loss) {
  add(Case("depict_cluster_loss").normal("input", {6, 3}).probs("target", {6, 3})
          .note("logits [6,3] of 3 clusters against a soft target"));
  add(Case("depict_cluster_loss", "none").normal("input", {5, 4}).probs("target", {5, 4})
          .attr("reduction", "none").note("reduction none: [N]"));
  add(Case("depict_cluster_loss", "sum_single").normal("input", {1, 4}, 2.0)
          .probs("target", {1, 4}).attr("reduction", "sum").note("N = 1, reduction sum"));
  add(Case("depict_cluster_loss", "onehot").normal("input", {3, 3})
          .values("target", {3, 3}, {1, 0, 0, 0, 0, 1, 0, 1, 0})
          .note("hard one-hot target (the warm-up's hard cluster labels)"));
}
