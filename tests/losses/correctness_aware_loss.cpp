// Test cases for losses/calibration/correctness_aware_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(correctness_aware_loss) {
  using lathe::DType;
  // argmax of each row: 0, 1, 2, 3, 1, 0; targets make rows 0, 1, 2 right and 3, 4, 5 wrong
  const std::vector<double> z = {2.0, 0.1, -0.5, 0.3, 0.2, 1.5, -1.0, 0.0,
                                 0.0, 0.3, 1.1, -0.2, -0.4, 0.6, 0.1, 0.9,
                                 0.2, 1.3, -0.3, 0.5, 1.7, -0.6, 0.4, 0.8};
  add(Case("correctness_aware_loss").values("logits", {6, 4}, z)
          .values("target", {6}, {0, 1, 2, 0, 3, 2}, DType::i64).in("temperature", {6, 1}, 0.5, 1.5)
          .note("half right (acc 0.5, equal weights), temperatures in [0.5, 1.5]"));
  add(Case("correctness_aware_loss", "acc_third_none").values("logits", {6, 4}, z)
          .values("target", {6}, {0, 1, 0, 0, 3, 2}, DType::i64)
          .in("temperature", {6, 1}, 0.5, 1.5).attr("reduction", "none")
          .note("two right (acc 1/3: unequal weights), reduction none"));
  add(Case("correctness_aware_loss", "sum").normal("logits", {5, 3}, 2.0)
          .index("target", {5}, 3).in("temperature", {5, 1}, 0.2, 3.0).attr("reduction", "sum")
          .note("random logits and targets, reduction sum"));
}
