// Test cases for ops/prim/add.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(add) {
  add(Case("add").in("a", {3, 4}).in("b", {3, 4}));
  add(Case("add", "broadcast").in("a", {3, 1, 4}).in("b", {2, 4}));
  add(Case("add", "scalar").in("a", {3, 4}).in("b", {}));
}
