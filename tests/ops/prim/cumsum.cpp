// Test cases for ops/prim/cumsum.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(cumsum) {
  add(Case("cumsum").in("x", {3, 4}));
  add(Case("cumsum", "reverse").in("x", {3, 4}).attr("axis", 0).attr("reverse", true));
}
