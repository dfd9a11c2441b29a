// Test cases for ops/prim/sinh.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(sinh) {
  add(Case("sinh").normal("x", {2, 3, 4}, 2.0).note("3-D input, normal inputs (scale 2)"));
  add(Case("sinh", "scalar").in("x", {}));
}
