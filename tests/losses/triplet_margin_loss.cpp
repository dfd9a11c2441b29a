// Test cases for losses/regression/triplet_margin_loss.cpp.
#include "tests/support/cases.h"

LATHE_CASES(triplet_margin_loss) {
  add(Case("triplet_margin_loss").normal("anchor", {4, 3}).normal("positive", {4, 3})
          .normal("negative", {4, 3}).attr("margin", 5.0)
          .note("p 2, margin 5 (every triplet active)"));
  add(Case("triplet_margin_loss", "p1_swap").normal("anchor", {4, 3})
          .normal("positive", {4, 3}).normal("negative", {4, 3}).attr("p", 1.0)
          .attr("swap", true).attr("margin", 6.0).attr("reduction", "sum")
          .note("p 1, swap, reduction sum"));
  add(Case("triplet_margin_loss", "p3_none").in("anchor", {3, 4}, 0.5, 1.5)
          .in("positive", {3, 4}, -1.5, -0.5).in("negative", {3, 4}, 0.0, 0.3)
          .attr("p", 3.0).attr("reduction", "none").note("p 3, reduction none"));
  add(Case("triplet_margin_loss", "unbatched").normal("anchor", {5}).normal("positive", {5})
          .normal("negative", {5}).attr("margin", 8.0).note("unbatched [D]"));
  add(Case("triplet_margin_loss", "inactive").values("anchor", {2, 2}, {0, 0, 1, 1})
          .values("positive", {2, 2}, {0, 0, 1, 1}).values("negative", {2, 2}, {3, 4, -2, 5})
          .oracle_only("a = p exactly and every triplet inactive: values and zero gradients")
          .note("anchor equal to positive (eps keeps the norm differentiable), all inactive"));
}
