// Test cases for ops/prim/erf.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(erf) {
  add(Case("erf").normal("x", {2, 3, 4}).note("3-D input, standard normal inputs"));
  add(Case("erf", "scalar").in("x", {}));
}
