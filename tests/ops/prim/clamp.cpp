// Test cases for ops/prim/clamp.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(clamp) {
  add(Case("clamp").values("x", {8}, {-1.2, -0.3, 0.1, 0.5, 1.1, -0.9, 0.65, -0.45})
          .attr("min", -0.5).attr("max", 0.7));
  add(Case("clamp", "min_only").in("x", {3, 4}).attr("min", -3.0));
}
