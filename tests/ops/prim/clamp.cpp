// Test cases for ops/prim/clamp.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(clamp) {
  // on_grid values are integers +-0.2: at least 0.3 from bounds at +-1.5 or +-0.5
  add(Case("clamp").on_grid("x", {3, 4}).attr("min", -1.5).attr("max", 1.5)
          .note("min -1.5, max 1.5, inputs >= 0.3 from either bound"));
  add(Case("clamp", "mixed").values("x", {8}, {-1.2, -0.3, 0.1, 0.5, 1.1, -0.9, 0.65, -0.45})
          .attr("min", -0.5).attr("max", 0.7).note("min -0.5, max 0.7, chosen values"));
  add(Case("clamp", "min_only").on_grid("x", {3, 4}).attr("min", -0.5)
          .note("min -0.5, max left at +inf"));
  add(Case("clamp", "max_only").on_grid("x", {3, 4}).attr("max", 0.5)
          .note("max 0.5, min left at -inf"));
  add(Case("clamp", "at_bounds").small_ints("x", {3, 4}).attr("min", -1.0).attr("max", 1.0)
          .at_kink("inputs exactly at the bounds")
          .note("inputs exactly at min -1 and max 1 pass the gradient (bounds included)"));
}
