// Test cases for ops/prim/where.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(where) {
  add(Case("where").mask("cond", {3, 4}).in("a", {3, 4}).in("b", {3, 4}));
  add(Case("where", "broadcast").mask("cond", {3, 1}).in("a", {3, 4}).in("b", {4}));
}
