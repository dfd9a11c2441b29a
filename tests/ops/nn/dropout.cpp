// Test cases for ops/nn/dropout.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(dropout) {
  add(Case("dropout").in("x", {3, 4}).attr("p", 0.3).attr("seed", 1234));
  add(Case("dropout", "eval").in("x", {3, 4}).attr("training", false));
}
