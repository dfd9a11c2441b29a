// poincare_expmap0: the exponential map at the origin of the Poincare ball, per row
//   expmap0(u) = tanh(sqrt(c) |u|) u / (sqrt(c) |u|)       |u| clamped >= 1e-5, tanh arg +-15
// Paper: "Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing"
// (catalog: other.md). Checked against hyptorch/pmath.py _expmap0 (its
// docstring writes sqrt(c)/2 |u|, its code sqrt(c) |u|, which is the right map since
// lambda_0 = 2: we follow the code). Hyp-OC's ToPoincare applies it, then project.
// Safe at the origin (the norm clamp: u = 0 maps to 0 with gradient 1/1 = identity there)
// and far out (the tanh clamp: rows saturate at radius tanh(15)/sqrt(c), just inside the
// ball). Defaults: c 0.1. Composite (autograd).
#include <cmath>

#include "ops/hyperbolic/common.h"
#include "ops/hyperbolic/hyperbolic.h"

namespace lathe {

Tensor poincare_expmap0(const Tensor& u, double c) {
  const char* op = "poincare_expmap0";
  check_floating(op, "u", u);
  hyperbolic::check_curvature(op, c);
  LATHE_CHECK(u.dim() >= 1, "[", op, "] u needs a last (point) dim, got ", u.shape());
  double sc = std::sqrt(c);
  Tensor n = hyperbolic::clamped_norm(u);                     // [..., 1]
  return hyperbolic::tanh_clamped(sc * n) * u / (sc * n);              // [..., D]
}

LATHE_REGISTER_OPS(poincare_expmap0) {
  registry.add(OpDef("poincare_expmap0", "hyperbolic")
                   .summary("exponential map at the origin of the Poincare ball")
                   .paper("Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing")
                   .input("u")
                   .attr("c", 0.1, "negative curvature c > 0")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{poincare_expmap0(c.in("u"), c.f("c"))};
                   }));
}

}  // namespace lathe
