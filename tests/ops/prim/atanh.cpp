// Test cases for ops/prim/atanh.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(atanh) {
  add(Case("atanh").in("x", {2, 3, 4}, -0.9, 0.9).note("inside (-1, 1), away from the poles"));
  add(Case("atanh", "near_one").values("x", {4}, {0.999, -0.999, 0.99, -1e-9})
          .note("close to the poles at +-1, and tiny"));
}
