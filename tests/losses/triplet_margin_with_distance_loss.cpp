// Test cases for losses/regression/triplet_margin_with_distance_loss.cpp.
#include "tests/support/cases.h"

LATHE_CASES(triplet_margin_with_distance_loss) {
  add(Case("triplet_margin_with_distance_loss").normal("anchor", {4, 3})
          .normal("positive", {4, 3}).normal("negative", {4, 3}).attr("margin", 5.0)
          .note("pairwise distance, margin 5 (every triplet active)"));
  add(Case("triplet_margin_with_distance_loss", "cosine_swap").normal("anchor", {4, 3})
          .normal("positive", {4, 3}).normal("negative", {4, 3})
          .attr("distance_function", "cosine").attr("swap", true).attr("margin", 2.5)
          .attr("reduction", "sum").note("cosine distance, swap, reduction sum"));
  add(Case("triplet_margin_with_distance_loss", "cosine_none").normal("anchor", {3, 5})
          .normal("positive", {3, 5}).normal("negative", {3, 5})
          .attr("distance_function", "cosine").attr("margin", 2.5).attr("reduction", "none")
          .note("cosine distance, reduction none"));
}
