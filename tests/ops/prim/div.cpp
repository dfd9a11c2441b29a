// Test cases for ops/prim/div.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(div) {
  // |b| >= 0.5 keeps the pole at b = 0 away
  add(Case("div").normal("a", {3, 4}).away("b", {3, 4}, 0.5).note("same shapes [3,4]"));
  add(Case("div", "broadcast").normal("a", {3, 1, 4}).away("b", {2, 4}, 0.5)
          .note("a [3,1,4] with b [2,4] -> [3,2,4]; gradients reduce back"));
  add(Case("div", "scalar").normal("a", {2, 3}).away("b", {}, 0.5)
          .note("b of shape [] broadcast over a [2,3]"));
  add(Case("div", "scalar_lhs").normal("a", {}).away("b", {2, 3}, 0.5)
          .note("a of shape [] broadcast over b [2,3]"));
}
