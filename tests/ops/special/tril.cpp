// Test cases for ops/special/tril.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(tril) {
  add(Case("tril").in("x", {2, 3, 4}).note("batched, main diagonal"));
  add(Case("tril", "above").in("x", {4, 3}).attr("diagonal", 1).note("k = 1"));
  add(Case("triu").in("x", {2, 3, 4}).note("batched, main diagonal"));
  add(Case("triu", "below").in("x", {3, 5}).attr("diagonal", -2).note("k = -2"));
}
