// Test cases for losses/segmentation/pirads_consistency_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(pirads_consistency_loss) {
  add(Case("pirads_consistency_loss").in("input", {1, 3, 2, 2}, 0.0, 1.0)
          .in("other", {1, 3, 2, 2}, 0.0, 1.0)
          .attr("shared_classes", AttrValue(std::vector<int64_t>{1, 2}))
          .note("two branches, classes 1 and 2 shared, mean"));
  add(Case("pirads_consistency_loss", "all_sum").in("input", {2, 2, 3}, 0.0, 1.0)
          .in("other", {2, 2, 3}, 0.0, 1.0).attr("reduction", "sum")
          .note("every class shared, sum"));
}
