// Test cases for ops/prim/acosh.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(acosh) {
  add(Case("acosh").in("x", {2, 3, 4}, 1.05, 5.0).note("on (1.05, 5), away from x = 1"));
  add(Case("acosh", "near_one").values("x", {3}, {1.0001, 1.01, 1e6})
          .no_oracle_f32("x - 1 = 1e-4 rounds to f32 with 6e-4 relative error")
          .note("near the edge at 1 (the gradient form that keeps digits) and large"));
}
