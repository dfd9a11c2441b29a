// Test cases for ops/nn/linear.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(linear) {
  add(Case("linear").in("x", {2, 3, 4}).in("weight", {5, 4}).in("bias", {5}));
  add(Case("linear", "no_bias").in("x", {3, 4}).in("weight", {2, 4}));
}
