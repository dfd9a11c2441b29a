// Test cases for ops/nn/gelu.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(gelu) {
  add(Case("gelu").in("x", {3, 4}, -3.0, 3.0));
  add(Case("gelu", "tanh").in("x", {3, 4}, -3.0, 3.0).attr("approximate", std::string("tanh")));
}
