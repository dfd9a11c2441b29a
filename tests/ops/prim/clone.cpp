// Test cases for ops/prim/clone.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(clone) {
  add(Case("clone").normal("x", {3, 4}).note("[3,4] copy"));
}
