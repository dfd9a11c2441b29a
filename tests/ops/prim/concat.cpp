// Test cases for ops/prim/concat.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(concat) {
  add(Case("concat").in("xs", {2, 3}).in("xs", {2, 1}).in("xs", {2, 2}).attr("axis", 1));
}
