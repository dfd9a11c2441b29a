// Test cases for ops/prim/neg.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(neg) {
  add(Case("neg").normal("x", {2, 3, 4}).note("3-D input, standard normal inputs"));
  add(Case("neg", "scalar").in("x", {}));
}
