// Test cases for ops/prim/sin.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(sin) {
  add(Case("sin").normal("x", {2, 3, 4}).note("3-D input, standard normal inputs"));
  add(Case("sin", "scalar").in("x", {}));
}
