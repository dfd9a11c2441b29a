// Test cases for ops/special/xlogy.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(xlogy) {
  add(Case("xlogy").in("x", {3, 4}).in("b", {3, 4}, 0.1, 3.0).note("positive b"));
  add(Case("xlogy", "broadcast").in("x", {2, 3, 1}).in("b", {4}, 0.2, 2.0)
          .note("x and b broadcast"));
  add(Case("xlogy", "zeros").values("x", {4}, {0.0, 0.0, 1.5, 0.0})
          .values("b", {4}, {2.0, 0.1, 0.5, 3.0})
          .note("x == 0: the value 0, dy/dx = log b, dy/db = 0 (x log b is smooth there)"));
}
