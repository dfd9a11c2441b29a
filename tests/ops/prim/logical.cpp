// Test cases for ops/prim/logical.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(logical) {
  add(Case("logical_and").mask("a", {3, 4}).mask("b", {4}).no_gradcheck("bool output"));
  add(Case("logical_or").mask("a", {3, 4}).mask("b", {3, 1}).no_gradcheck("bool output"));
  add(Case("logical_not").mask("x", {3, 4}).no_gradcheck("bool output"));
}
