// Test cases for ops/prim/hypot.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(hypot) {
  add(Case("hypot").away("a", {3, 4}, 0.1).away("b", {3, 4}, 0.1).note("away from the origin"));
  add(Case("hypot", "broadcast").away("a", {2, 3, 1}, 0.2).in("b", {4}).note("both broadcast"));
}
