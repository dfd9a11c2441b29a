// Test cases for ops/nn/index_select.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(index_select) {
  add(Case("index_select").in("x", {4, 3}).index("index", {5}, 4));
  add(Case("index_select", "axis1").in("x", {2, 4}).index("index", {3}, 4).attr("axis", 1));
}
