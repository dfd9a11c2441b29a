// Test cases for ops/nn/stack.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(stack) {
  add(Case("stack").in("xs", {2, 3}).in("xs", {2, 3}).in("xs", {2, 3}).attr("axis", 1));
}
