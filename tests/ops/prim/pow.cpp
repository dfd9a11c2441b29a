// Test cases for ops/prim/pow.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(pow) {
  // bases in [0.5, 2]: pow is smooth in both operands there
  add(Case("pow").in("a", {3, 4}, 0.5, 2.0).in("b", {3, 4}, -1.5, 1.5).note("same shapes [3,4]"));
  add(Case("pow", "broadcast").in("a", {3, 1, 4}, 0.5, 2.0).normal("b", {2, 4})
          .note("a [3,1,4] with b [2,4] -> [3,2,4]; gradients reduce back"));
  add(Case("pow", "broadcast_exponent").in("a", {2, 3}, 0.5, 2.0).in("b", {3}, -1.5, 2.5)
          .oracle_only("broadcast gradchecks the same reduction"));
  add(Case("pow", "scalar").in("a", {2, 3}, 0.5, 2.0).in("b", {}, 1.5, 3.0)
          .note("b of shape [] broadcast over a [2,3]"));
  add(Case("pow", "scalar_lhs").in("a", {}, 0.5, 2.0).normal("b", {2, 3})
          .note("a of shape [] broadcast over b [2,3]"));
}
