// Test cases for ops/special/flip.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(flip) {
  add(Case("flip").in("x", {2, 3, 4}).attr("dims", std::vector<int64_t>{0, 2})
          .note("two of three dims"));
  add(Case("flip", "negative").in("x", {3, 4}).attr("dims", std::vector<int64_t>{-1})
          .note("negative dim"));
}
