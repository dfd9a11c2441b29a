// Test cases for losses/regression/temporal_smoothness_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(temporal_smoothness_loss) {
  add(Case("temporal_smoothness_loss").normal("input", {2, 6, 3}).normal("target", {2, 6, 3})
          .note("the catalog's example: no mask"));
  add(Case("temporal_smoothness_loss", "masked").normal("input", {2, 4, 2})
          .normal("target", {2, 4, 2}).values("mask", {2, 4}, {1, 1, 1, 0, 1, 1, 0, 0})
          .note("padded frames (m = 0) get no velocity term"));
  add(Case("temporal_smoothness_loss", "t1").normal("input", {3, 1, 4}).normal("target", {3, 1, 4})
          .note("T = 1: only the first-frame term"));
}
