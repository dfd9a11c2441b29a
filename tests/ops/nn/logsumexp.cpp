// Test cases for ops/nn/logsumexp.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(logsumexp) {
  add(Case("logsumexp").in("x", {3, 4}).attr("axes", lathe::Axes{1}));
  add(Case("logsumexp", "extreme").values("x", {2, 3}, {1e4, 1e4 - 1, -1e4, -1e4, 3.0, 1e4 - 2})
          .attr("axes", lathe::Axes{-1}));
}
