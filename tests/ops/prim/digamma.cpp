// Test cases for ops/prim/digamma.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(digamma) {
  add(Case("digamma").in("x", {2, 3, 4}, 0.1, 6.0).note("positive: the recurrence and the series"));
  add(Case("digamma", "negative").values("x", {6}, {-0.5, -1.5, -2.3, -3.7, -0.1, -4.9})
          .note("negative non-integers: the reflection formula"));
  add(Case("digamma", "large").values("x", {3}, {12.0, 40.5, 1e4}).note("the series alone"));
}
