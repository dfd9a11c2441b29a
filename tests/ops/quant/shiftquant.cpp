// Test cases for ops/quant/shiftquant.cpp (conformance, oracle against a detach-based
// straight-through reference; the quantizer's own derivative is 0).
#include "tests/support/cases.h"

LATHE_CASES(shiftquant) {
  const char* why = "custom backward (straight-through): checked against the reference rule";
  add(Case("shiftquant").normal("x", {2, 8}).no_gradcheck(why)
          .note("the catalog's example: 4 bits, groups of 4"));
  add(Case("shiftquant", "bits6_group8").normal("x", {3, 8}, 3.0).attr("bits", 6)
          .attr("group", 8).no_gradcheck(why).note("6 bits, groups of 8, larger values"));
  add(Case("shiftquant", "zero_group").values("x", {8}, {0.0, 0.0, 0.0, 0.0, 0.3, -1.2, 0.05,
                                                           0.7})
          .no_gradcheck(why).note("an all-zero group (the 1e-12 clamp) next to a normal one"));
  add(Case("shiftquant", "exact_powers").values("x", {4}, {0.875, -0.5, 0.25, 0.125})
          .attr("bits", 4).no_gradcheck(why)
          .note("max |x| / qmax = 0.125 exactly: the scale is 2^-3, no rounding in log2"));
}
