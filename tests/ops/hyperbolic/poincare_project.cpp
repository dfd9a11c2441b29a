// Test cases for ops/hyperbolic/poincare_project.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(poincare_project) {
  add(Case("poincare_project").normal("x", {4, 3}, 5.0)
          .note("c 0.1, |x| ~ 8: most rows outside radius 3.16 get rescaled"));
  add(Case("poincare_project", "inside").in("x", {2, 3}, -0.5, 0.5).attr("c", 1.0)
          .note("c 1, all rows inside: the identity"));
  add(Case("poincare_project", "zero").values("x", {2, 2}, {0, 0, 3, 4}).attr("c", 1.0)
          .at_kink("a zero row: the norm clamp is active")
          .note("a zero row (kept) and |x| 5 (rescaled to 0.999)"));
}
