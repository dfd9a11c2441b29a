// Test cases for ops/prim/lgamma.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(lgamma) {
  add(Case("lgamma").in("x", {2, 3, 4}, 0.1, 6.0).note("positive, through the minimum at 1.46"));
  add(Case("lgamma", "negative").values("x", {6}, {-0.5, -1.5, -2.3, -3.7, -0.1, -4.9})
          .note("negative non-integers: the sign of Gamma alternates, log |Gamma| does not care"));
}
