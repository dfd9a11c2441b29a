// Test cases for losses/regression/cosine_embedding_loss.cpp.
#include "tests/support/cases.h"

LATHE_CASES(cosine_embedding_loss) {
  add(Case("cosine_embedding_loss").normal("input1", {4, 3}).normal("input2", {4, 3})
          .values("target", {4}, {1, -1, 1, -1}).attr("margin", -0.9)
          .note("similar and dissimilar pairs, margin -0.9 (every hinge active)"));
  add(Case("cosine_embedding_loss", "none").normal("input1", {3, 5}).normal("input2", {3, 5})
          .values("target", {3}, {1, 1, 1}).attr("reduction", "none")
          .note("similar pairs only, reduction none"));
  add(Case("cosine_embedding_loss", "unbatched").normal("input1", {4}).normal("input2", {4})
          .values("target", {}, {1}).note("unbatched [D] with a target []"));
  add(Case("cosine_embedding_loss", "hinge_sum").normal("input1", {4, 3})
          .normal("input2", {4, 3}).values("target", {4}, {-1, -1, 1, -1}).attr("margin", -0.9)
          .attr("reduction", "sum").note("mostly dissimilar pairs, reduction sum"));
}
