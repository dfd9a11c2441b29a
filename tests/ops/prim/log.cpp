// Test cases for ops/prim/log.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(log) {
  add(Case("log").in("x", {2, 3, 4}, 0.5, 2.0).note("3-D input, inputs in [0.5, 2]"));
}
