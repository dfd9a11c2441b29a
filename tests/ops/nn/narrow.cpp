// Test cases for ops/nn/narrow.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(narrow) {
  add(Case("narrow").in("x", {5, 4}).attr("start", 1).attr("length", 3));
}
