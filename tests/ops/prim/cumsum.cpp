// Test cases for ops/prim/cumsum.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(cumsum) {
  add(Case("cumsum").normal("x", {3, 4}).note("default axis -1"));
  add(Case("cumsum", "reverse").normal("x", {3, 4}).attr("reverse", true)
          .note("axis -1, reverse: suffix sums"));
  add(Case("cumsum", "axis0_reverse").normal("x", {3, 2, 4}).attr("axis", 0)
          .attr("reverse", true).note("[3,2,4], axis 0, reverse"));
}
