// Test cases for ops/prim/asinh.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(asinh) {
  add(Case("asinh").normal("x", {2, 3, 4}, 3.0).note("3-D input, normal inputs (scale 3)"));
  add(Case("asinh", "large").values("x", {4}, {1e6, -1e6, 1e-9, -30.0})
          .note("large and tiny |x|"));
}
