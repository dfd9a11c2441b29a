// Test cases for ops/prim/mul.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(mul) {
  add(Case("mul").in("a", {3, 4}).in("b", {3, 4}));
  add(Case("mul", "broadcast").in("a", {3, 1, 4}).in("b", {2, 4}));
  add(Case("mul", "scalar").in("a", {3, 4}).in("b", {}));
}
