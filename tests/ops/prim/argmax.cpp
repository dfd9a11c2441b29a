// Test cases for ops/prim/argmax.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(argmax) {
  add(Case("argmax").distinct("x", {3, 4}).no_gradcheck("integer output"));
  add(Case("argmax", "axis0_keepdim").distinct("x", {3, 4}).attr("axis", 0).attr("keepdim", true)
          .no_gradcheck("integer output"));
  add(Case("argmin").distinct("x", {3, 4}).no_gradcheck("integer output"));
}
