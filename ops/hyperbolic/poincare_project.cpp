// poincare_project: keeps points strictly inside the Poincare ball, per row
//   project(x) = x / |x| * r_max  where |x| > r_max = (1 - 1e-3) / sqrt(c), else x
// (|x| clamped >= 1e-5).
// Paper: "Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing"
// (catalog: other.md). Checked against
// hyptorch/pmath.py _project: the same radius and clamp; a point exactly at r_max is kept.
// Defaults: c 0.1. Composite (autograd: the rescaled rows get the derivative of x r_max/|x|).
#include <cmath>

#include "ops/hyperbolic/common.h"
#include "ops/hyperbolic/hyperbolic.h"

namespace lathe {

Tensor poincare_project(const Tensor& x, double c) {
  const char* op = "poincare_project";
  check_floating(op, "x", x);
  hyperbolic::check_curvature(op, c);
  LATHE_CHECK(x.dim() >= 1, "[", op, "] x needs a last (point) dim, got ", x.shape());
  double r_max = (1.0 - 1e-3) / std::sqrt(c);
  Tensor n = hyperbolic::clamped_norm(x);                     // [..., 1]
  return where(gt(n, r_max), x / n * r_max, x);                        // [..., D]
}

LATHE_REGISTER_OPS(poincare_project) {
  registry.add(OpDef("poincare_project", "hyperbolic")
                   .summary("rescale rows outside radius (1 - 1e-3)/sqrt(c) onto it")
                   .paper("Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing")
                   .input("x")
                   .attr("c", 0.1, "negative curvature c > 0")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{poincare_project(c.in("x"), c.f("c"))};
                   }));
}

}  // namespace lathe
