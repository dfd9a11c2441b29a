// Test cases for ops/prim/add.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(add) {
  add(Case("add").normal("a", {3, 4}).normal("b", {3, 4}).note("same shapes [3,4]"));
  add(Case("add", "broadcast").normal("a", {3, 1, 4}).normal("b", {2, 4})
          .note("a [3,1,4] with b [2,4] -> [3,2,4]; gradients reduce back"));
  add(Case("add", "scalar").normal("a", {2, 3}).normal("b", {})
          .note("b of shape [] broadcast over a [2,3]"));
}
