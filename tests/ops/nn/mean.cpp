// Test cases for ops/nn/mean.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(mean) {
  add(Case("mean").in("x", {2, 3, 4}));
  add(Case("mean", "axis").in("x", {2, 3, 4}).attr("axes", lathe::Axes{1}).attr("keepdim", true));
}
