// Test cases for losses/regression/margin_ranking_loss.cpp.
#include "tests/support/cases.h"

LATHE_CASES(margin_ranking_loss) {
  add(Case("margin_ranking_loss").on_grid("input1", {6}, true).on_grid("input2", {6})
          .values("target", {6}, {1, -1, 1, -1, 1, -1})
          .note("scores on the two grids: x1 - x2 0.1 away from the kink at 0"));
  add(Case("margin_ranking_loss", "margin_none").on_grid("input1", {2, 3}, true)
          .on_grid("input2", {2, 3}).values("target", {2, 3}, {1, 1, -1, -1, 1, -1})
          .attr("margin", 1.0).attr("reduction", "none").note("margin 1, reduction none"));
  add(Case("margin_ranking_loss", "at_kink").values("input1", {2}, {1.0, 0.5})
          .values("input2", {2}, {1.0, 0.5}).values("target", {2}, {1, -1})
          .at_kink("x1 = x2 with margin 0").note("tied scores"));
}
