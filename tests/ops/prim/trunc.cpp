// Test cases for ops/prim/trunc.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(trunc) {
  add(Case("trunc").on_grid("x", {3, 4})
          .note("integers jittered by 0.2: off the jumps, zero gradient"));
  add(Case("trunc", "half").on_grid("x", {3, 4}, true).note("half-integers jittered by 0.2"));
  add(Case("trunc", "exact").values("x", {8}, {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -3.0, 4.0})
          .at_kink("exact halves and integers: the jumps; the gradient is 0 there too"));
}
