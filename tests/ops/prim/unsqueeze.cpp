// Test cases for ops/prim/unsqueeze.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(unsqueeze) {
  add(Case("unsqueeze").in("x", {3, 4}).attr("axis", -1));
  add(Case("unsqueeze", "front").in("x", {3, 4}).attr("axis", 0));
}
