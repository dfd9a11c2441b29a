// Test cases for ops/prim/slice_scatter.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(slice_scatter) {
  add(Case("slice_scatter").in("x", {5, 4}).in("src", {2, 4}).attr("start", 1).attr("step", 2));
}
