// Test cases for ops/nn/narrow.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(narrow) {
  add(Case("narrow").normal("x", {3, 5}).attr("axis", 1).attr("start", 1).attr("length", 3)
          .note("[3,5] axis 1, start 1, length 3"));
  add(Case("narrow", "rows").in("x", {5, 4}).attr("start", 1).attr("length", 3)
          .oracle_only("basic gradchecks the same view").note("[5,4] rows 1:4"));
}
