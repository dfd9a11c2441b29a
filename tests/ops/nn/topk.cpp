// Test cases for ops/nn/topk.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(topk) {
  add(Case("topk").distinct("x", {3, 5}).attr("k", 2));
  add(Case("topk", "smallest_axis0").distinct("x", {4, 3}).attr("k", 3).attr("axis", 0).attr("largest", false));
}
