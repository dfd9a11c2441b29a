// Test cases for losses/classification/binary_cross_entropy.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(binary_cross_entropy) {
  add(Case("binary_cross_entropy").in("input", {4, 3}, 0.05, 0.95).in("target", {4, 3}, 0.0, 1.0)
          .note("probabilities [4,3] against soft targets"));
  add(Case("binary_cross_entropy", "weight_sum").in("input", {2, 3, 2}, 0.05, 0.95)
          .in("target", {2, 3, 2}, 0.0, 1.0).in("weight", {3, 1}, 0.5, 2.0)
          .attr("reduction", "sum").note("weight [3,1] broadcast, reduction sum"));
  add(Case("binary_cross_entropy", "hard_none").in("input", {6}, 0.05, 0.95)
          .values("target", {6}, {0, 1, 1, 0, 1, 0}).attr("reduction", "none")
          .note("hard targets, reduction none"));
  add(Case("binary_cross_entropy", "near_edges")
          .values("input", {2, 3}, {1e-3, 1.0 - 1e-3, 0.5, 2e-3, 0.999, 0.25})
          .values("target", {2, 3}, {1, 0, 1, 0.5, 1, 0.25})
          .note("probabilities near 0 and 1 (x (1 - x) > 1e-12: lathe and PyTorch agree)"));
}
