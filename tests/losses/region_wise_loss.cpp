// Test cases for losses/segmentation/region_wise_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(region_wise_loss) {
  add(Case("region_wise_loss").normal("input", {1, 2, 3, 3}).in("rwmap", {1, 2, 3, 3}, -1.0, 1.0)
          .note("logits [1,2,3,3], map in [-1, 1], mean"));
  add(Case("region_wise_loss", "sum_3d").normal("input", {1, 3, 2, 2, 2})
          .in("rwmap", {1, 3, 2, 2, 2}, -1.0, 1.0).attr("reduction", "sum").note("3-D, sum"));
  add(Case("region_wise_loss", "ones_none").normal("input", {2, 2, 3})
          .values("rwmap", {2, 2, 3}, std::vector<double>(12, 1.0)).attr("reduction", "none")
          .note("an all-ones map (no object): the probabilities themselves"));
}
