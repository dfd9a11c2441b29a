// Test cases for ops/prim/sub.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(sub) {
  add(Case("sub").in("a", {3, 4}).in("b", {3, 4}));
  add(Case("sub", "broadcast").in("a", {3, 1, 4}).in("b", {2, 4}));
  add(Case("sub", "scalar").in("a", {3, 4}).in("b", {}));
}
