// Test cases for ops/reparam/weight_compander.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(weight_compander) {
  add(Case("weight_compander").away("w", {4, 5}, 0.05, 2.0).values("a", {}, {1.0})
          .values("b", {}, {10.0}).note("a 1, b 10: slope 10 / ln 11 ~ 4.2 at 0"));
  add(Case("weight_compander", "learned").away("w", {6}, 0.1, 8.0).in("a", {1}, 0.5, 1.5)
          .in("b", {1}, 1.0, 5.0).note("large |w| (saturation), a and b as [1]"));
  add(Case("weight_compander", "at_zero").values("w", {3}, {0.0, 1e-3, -1e-3})
          .values("a", {}, {1.0}).values("b", {}, {4.0})
          .first_order_only("|w| has a kink at 0: the second derivative jumps there")
          .note("w = 0: output 0, slope a b / ln(1 + b)"));
}
