// Test cases for losses/classification/ebv_generation_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(ebv_generation_loss) {
  add(Case("ebv_generation_loss").normal("weight", {6, 5}).attr("thr", 0.05)
          .note("6 rows in 5 dims (N > d), thr 0.05"));
  add(Case("ebv_generation_loss", "none").normal("weight", {4, 8}).attr("thr", 0.1)
          .attr("reduction", "none").note("reduction none: the [4,4] matrix"));
  add(Case("ebv_generation_loss", "default_mean").normal("weight", {5, 7})
          .attr("reduction", "mean").note("thr 0.002, reduction mean"));
}
