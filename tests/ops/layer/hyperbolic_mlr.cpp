// Test cases for ops/layer/hyperbolic_mlr.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(hyperbolic_mlr) {
  add(Case("hyperbolic_mlr").in("x", {4, 5}, -0.6, 0.6).in("a", {2, 5}, -1.0, 1.0)
          .in("p", {2, 5}, -1.0, 1.0).note("c 0.1, Hyp-OC's two classes, points inside"));
  add(Case("hyperbolic_mlr", "c1").in("x", {3, 4}, -0.3, 0.3).in("a", {3, 4}, -1.0, 1.0)
          .in("p", {3, 4}, -0.5, 0.5).attr("c", 1.0).note("c 1, three classes"));
  add(Case("hyperbolic_mlr", "one_class").in("x", {2, 3, 4}, -0.5, 0.5)
          .in("a", {1, 4}, -1.0, 1.0).in("p", {1, 4}, -1.0, 1.0)
          .note("C = 1, x with leading dims [2, 3]"));
  add(Case("hyperbolic_mlr", "near_boundary")
          .values("x", {3, 2}, {0.7, 0.7, -0.98, 0.1, 0.0, 0.0})
          .in("a", {2, 2}, -1.0, 1.0).values("p", {2, 2}, {1.5, -0.5, 0.0, 0.0}).attr("c", 1.0)
          .no_oracle_f32("1 - c|m|^2 ~ 1e-2 near the boundary amplifies f32 rounding to 1.5e-4 "
                         "relative in the gradient (f32 finiteness: layer_test.cpp)")
          .note("c 1: |x| 0.99 near the boundary, x = 0, p = 0 (expmap0's norm clamp)"));
}
