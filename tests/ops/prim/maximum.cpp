// Test cases for ops/prim/maximum.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(maximum) {
  // the integer grid against the half-integer grid: |a - b| >= 0.1, no ties
  add(Case("maximum").on_grid("a", {3, 4}).on_grid("b", {3, 4}, true).note("same shapes [3,4]"));
  add(Case("maximum", "broadcast").on_grid("a", {3, 1, 4}).on_grid("b", {2, 4}, true)
          .note("a [3,1,4] with b [2,4] -> [3,2,4]; gradients reduce back"));
  add(Case("maximum", "distinct").distinct("a", {3, 4}).distinct("b", {3, 4})
          .note("no ties: values from one 0.1-spaced grid"));
  add(Case("maximum", "scalar").on_grid("a", {2, 3}).on_grid("b", {}, true)
          .note("b of shape [] broadcast over a [2,3]"));
  add(Case("maximum", "ties").small_ints("a", {3, 4}, -1, 2).small_ints("b", {3, 4}, -1, 2)
          .at_kink("a == b in many places")
          .note("values in {-1, 0, 1}, many a == b: those split the gradient 0.5/0.5"));
}
