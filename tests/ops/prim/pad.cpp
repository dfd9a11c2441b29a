// Test cases for ops/prim/pad.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(pad) {
  add(Case("pad").in("x", {2, 3}).attr("pads", lathe::Axes{1, 2, 0, 1}).attr("value", 0.5));
}
