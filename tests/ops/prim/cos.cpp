// Test cases for ops/prim/cos.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(cos) {
  add(Case("cos").normal("x", {2, 3, 4}).note("3-D input, standard normal inputs"));
  add(Case("cos", "scalar").in("x", {}));
}
