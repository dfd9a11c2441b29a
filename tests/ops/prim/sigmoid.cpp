// Test cases for ops/prim/sigmoid.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(sigmoid) {
  add(Case("sigmoid").normal("x", {2, 3, 4}).note("3-D input, standard normal inputs"));
  add(Case("sigmoid", "scalar").in("x", {}));
}
