// Test cases for ops/activation/mutual_choice_activation.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(mutual_choice_activation) {
  add(Case("mutual_choice_activation").normal("h", {4, 10}).attr("k", 3)
          .note("the catalog's example: H [4,10], budget 3 * 4 = 12 entries"));
  add(Case("mutual_choice_activation", "full").normal("h", {3, 4}).attr("k", 4)
          .note("budget N F: dense relu"));
  add(Case("mutual_choice_activation", "skewed").normal("h", {4, 5}).attr("k", 1)
          .note("budget 4 shared by rows: one row may take several, another none"));
  add(Case("mutual_choice_activation", "negative").in("h", {2, 3}, -2.0, -0.1).attr("k", 2)
          .note("all-negative matrix: zeros"));
}
