// Test cases for ops/special/masked_fill.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(masked_fill) {
  add(Case("masked_fill").in("x", {3, 4}).mask("mask", {3, 4}).attr("value", -1.5)
          .note("same shape"));
  add(Case("masked_fill", "broadcast").in("x", {2, 3, 4}).mask("mask", {3, 1})
          .note("mask broadcast to x"));
}
