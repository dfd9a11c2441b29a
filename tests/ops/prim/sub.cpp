// Test cases for ops/prim/sub.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(sub) {
  add(Case("sub").normal("a", {3, 4}).normal("b", {3, 4}).note("same shapes [3,4]"));
  add(Case("sub", "broadcast").normal("a", {3, 1, 4}).normal("b", {2, 4})
          .note("a [3,1,4] with b [2,4] -> [3,2,4]; gradients reduce back"));
  add(Case("sub", "scalar").normal("a", {2, 3}).normal("b", {})
          .note("b of shape [] broadcast over a [2,3]"));
  add(Case("sub", "scalar_lhs").normal("a", {}).normal("b", {2, 3})
          .note("a of shape [] broadcast over b [2,3]"));
}
