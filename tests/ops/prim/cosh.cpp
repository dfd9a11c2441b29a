// Test cases for ops/prim/cosh.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(cosh) {
  add(Case("cosh").normal("x", {2, 3, 4}, 2.0).note("3-D input, normal inputs (scale 2)"));
  add(Case("cosh", "scalar").in("x", {}));
}
