// Test cases for ops/prim/polygamma.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(polygamma) {
  add(Case("polygamma").in("x", {2, 3, 4}, 0.2, 6.0).note("trigamma (n = 1), positive"));
  add(Case("polygamma", "n2").in("x", {3, 4}, 0.2, 25.0).attr("n", 2)
          .note("n = 2, both sides of the series threshold 15 + 2n"));
  add(Case("polygamma", "n3").in("x", {3, 4}, 0.5, 30.0).attr("n", 3).note("n = 3"));
  add(Case("polygamma", "negative").values("x", {4}, {-0.5, -1.3, -2.7, -0.9})
          .note("trigamma at negative non-integers"));
}
