// Test cases for losses/classification/hinge_embedding_loss.cpp.
#include "tests/support/cases.h"

LATHE_CASES(hinge_embedding_loss) {
  add(Case("hinge_embedding_loss").values("input", {2, 4}, {0.3, 1.6, 0.2, 2.5, 0.7, 0.4, 1.3, 0.1})
          .values("target", {2, 4}, {1, -1, -1, 1, -1, 1, -1, -1})
          .note("distances on both sides of margin 1 (kept 0.2 away from it)"));
  add(Case("hinge_embedding_loss", "margin_sum").in("input", {6}, 0.0, 1.5)
          .values("target", {6}, {1, -1, -1, 1, -1, 1}).attr("margin", 2.0)
          .attr("reduction", "sum").note("margin 2 (every dissimilar pair active), sum"));
  add(Case("hinge_embedding_loss", "other_labels")
          .values("input", {4}, {0.3, 0.6, 1.5, -0.5}).values("target", {4}, {0, 1, 2, -1})
          .attr("reduction", "none")
          .note("labels other than +-1 get both terms, as PyTorch's kernel"));
  add(Case("hinge_embedding_loss", "at_margin").values("input", {3}, {1.0, 1.0, 0.5})
          .values("target", {3}, {-1, 1, -1}).at_kink("x = margin for y = -1")
          .note("a dissimilar distance exactly at the margin"));
}
