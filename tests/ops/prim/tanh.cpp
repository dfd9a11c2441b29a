// Test cases for ops/prim/tanh.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(tanh) {
  add(Case("tanh").normal("x", {2, 3, 4}).note("3-D input, standard normal inputs"));
  add(Case("tanh", "scalar").in("x", {}));
}
