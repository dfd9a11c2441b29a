// Test cases for ops/prim/exp.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(exp) {
  add(Case("exp").normal("x", {2, 3, 4}).note("3-D input, standard normal inputs"));
  add(Case("exp", "scalar").in("x", {}));
}
