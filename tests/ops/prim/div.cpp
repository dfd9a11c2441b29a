// Test cases for ops/prim/div.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(div) {
  add(Case("div").in("a", {3, 4}).away("b", {3, 4}, 0.5));
  add(Case("div", "broadcast").in("a", {3, 1, 4}).away("b", {2, 4}, 0.5));
  add(Case("div", "scalar").in("a", {}).away("b", {3, 4}, 0.5));
}
