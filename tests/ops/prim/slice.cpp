// Test cases for ops/prim/slice.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(slice) {
  add(Case("slice").in("x", {5, 4}).attr("start", 1).attr("step", 2));
  add(Case("slice", "negative").in("x", {3, 6}).attr("axis", 1).attr("start", -4).attr("end", -1));
}
