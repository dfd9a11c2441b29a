// Test cases for ops/prim/erfinv.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(erfinv) {
  add(Case("erfinv").in("x", {2, 3, 4}, -0.95, 0.95).note("inside (-1, 1)"));
  add(Case("erfinv", "tails").values("x", {4}, {0.999, -0.9999, 1e-9, 0.6})
          .no_oracle_f32("1 - x = 1e-4 rounds to f32 with 3e-4 relative error")
          .note("the tails (Newton on erfc) and tiny"));
}
