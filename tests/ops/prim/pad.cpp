// Test cases for ops/prim/pad.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(pad) {
  using lathe::Axes;
  add(Case("pad", "last_two").normal("x", {2, 3, 4}).attr("pads", Axes{1, 2, 0, 1})
          .attr("value", 0.5)
          .note("[2,3,4], pads [1,2,0,1] (last dim 1|2, middle 0|1), value 0.5"));
  add(Case("pad", "last_dim").normal("x", {3, 4}).attr("pads", Axes{2, 1})
          .note("[3,4], pads [2,1], default value 0"));
}
