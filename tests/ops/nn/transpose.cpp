// Test cases for ops/nn/transpose.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(transpose) {
  add(Case("transpose").in("x", {2, 3, 4}).attr("dim0", 0).attr("dim1", 2));
}
