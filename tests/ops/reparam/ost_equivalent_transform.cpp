// Test cases for ops/reparam/ost_equivalent_transform.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(ost_equivalent_transform) {
  add(Case("ost_equivalent_transform").normal("x", {3, 4}).normal("w", {4, 5})
          .normal("s", {4, 4}).normal("log_scale", {4})
          .note("the catalog's example: d 4, out 5"));
  add(Case("ost_equivalent_transform", "identity").normal("x", {2, 3, 3}).normal("w", {3, 2})
          .values("s", {3, 3}, std::vector<double>(9, 0.0))
          .values("log_scale", {3}, {0.0, 0.0, 0.0})
          .note("R = I and lam = 1: X' = X, W' = W; leading batch dims"));
  add(Case("ost_equivalent_transform", "small_scales").normal("x", {2, 3}).normal("w", {3, 3})
          .normal("s", {3, 3}, 0.3).values("log_scale", {3}, {-4.0, -2.0, 1.0})
          .note("scales down to exp(-4)"));
}
