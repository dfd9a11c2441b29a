// Test cases for losses/classification/cross_entropy.cpp.
#include "tests/support/cases.h"

LATHE_CASES(cross_entropy) {
  add(Case("cross_entropy").in("input", {5, 4}).index("target", {5}, 4));
  add(Case("cross_entropy", "weight_smoothing").in("input", {5, 4}).index("target", {5}, 4)
          .in("weight", {4}, 0.5, 2.0).attr("label_smoothing", 0.1));
  add(Case("cross_entropy", "ignore_sum")
          .in("input", {5, 4})
          .values("target", {5}, {0, -100, 3, 1, -100}, lathe::DType::i64)
          .in("weight", {4}, 0.5, 2.0)
          .attr("label_smoothing", 0.2)
          .attr("reduction", "sum"));
  add(Case("cross_entropy", "soft_targets").in("input", {4, 3}).in("target", {4, 3}, 0.0, 1.0));
  add(Case("cross_entropy", "dense_none").in("input", {2, 3, 2, 2}).index("target", {2, 2, 2}, 3)
          .attr("reduction", "none"));
  add(Case("cross_entropy", "exclusive").in("input", {4, 5}).index("target", {4}, 5)
          .attr("label_smoothing", 0.1).attr("smoothing", "exclusive"));
}
