// Test cases for ops/special/cumprod.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(cumprod) {
  add(Case("cumprod").in("x", {3, 5}, 0.5, 1.5).note("along the last dim (three scan rounds)"));
  add(Case("cumprod", "dim0").normal("x", {6, 2}).attr("dim", 0).note("signs mixed, dim 0"));
  add(Case("cumprod", "zeros").values("x", {2, 4}, {0.5, 0.0, 2.0, 3.0, 1.5, -2.0, 0.0, 0.0})
          .note("zeros: the gradient is exact there (no division by x)"));
}
