// Test cases for ops/prim/log1p.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(log1p) {
  add(Case("log1p").in("x", {2, 3, 4}, -0.9, 3.0).note("3-D input on (-0.9, 3)"));
  add(Case("log1p", "tiny").values("x", {4}, {1e-12, -3e-9, 2e-6, -1e-4})
          .note("|x| << 1, where log(1 + x) would lose every digit"));
}
