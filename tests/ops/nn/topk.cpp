// Test cases for ops/nn/topk.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(topk) {
  add(Case("topk", "largest").distinct("x", {3, 5}).attr("k", 2)
          .note("k 2 of [3,5], default axis -1"));
  add(Case("topk", "smallest").distinct("x", {4, 3}).attr("k", 3).attr("axis", 0)
          .attr("largest", false).note("k 3 of [4,3] on axis 0, largest false"));
  add(Case("topk", "ties")
          .values("x", {2, 6}, {3.0, 1.0, 3.0, 2.0, 1.0, 3.0, 0.0, 2.0, 1.0, 2.0, 0.5, -1.0})
          .attr("k", 3)
          .at_kink("equal values")
          .note("k 3 with ties: first index first (stable sort; torch.topk leaves it open)"));
}
