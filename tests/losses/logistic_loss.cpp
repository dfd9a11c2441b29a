// Test cases for losses/classification/logistic_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(logistic_loss) {
  add(Case("logistic_loss").normal("data", {8, 3})
          .values("labels", {8}, {1, -1, -1, 1, 1, -1, 1, -1}).normal("weights", {3})
          .note("data [8,3], labels +-1, weights [3], mean over examples"));
  add(Case("logistic_loss", "none").normal("data", {5, 2})
          .values("labels", {5}, {-1, -1, 1, 1, -1}).normal("weights", {2})
          .attr("reduction", "none")
          .note("per-example losses, reduction none"));
  add(Case("logistic_loss", "large_step_sum").normal("data", {4, 2}, 10.0)
          .values("labels", {4}, {1, -1, 1, 1}).normal("weights", {2}, 10.0)
          .attr("reduction", "sum")
          .note("margins of order 100 (the large-step regime), reduction sum"));
  add(Case("logistic_loss", "separable")
          .values("data", {4, 2}, {1, 2, -1, -3, 2, 0.5, -0.5, -2})
          .values("labels", {4}, {1, -1, 1, -1}).values("weights", {2}, {300, 400})
          .oracle_only("margins >= 500: the value is the point (0, never negative)")
          .note("separable data with huge margins: value 0 without underflow"));
  add(Case("logistic_loss", "misclassified")
          .values("data", {2, 2}, {1, 2, -1, -3})
          .values("labels", {2}, {-1, 1}).values("weights", {2}, {300, 400})
          .oracle_only("margins <= -1100: the value is the point, not the derivative")
          .note("huge negative margins: value grows linearly, finite"));
}
