// poincare_logmap0: the logarithmic map at the origin of the Poincare ball, per row
//   logmap0(y) = artanh(sqrt(c) |y|) y / (sqrt(c) |y|)      |y| clamped >= 1e-5
// the inverse of poincare_expmap0. Not a catalog entry of its own: issue 21 lists it with the
// Poincare ops (Hyp-OC's hyptorch/pmath.py _logmap0, which this follows: pmath's Artanh clamps
// its input to +-(1 - 1e-5) with the backward g / (1 - z^2) on the clamped z).
// Paper: "Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing".
// Defaults: c 0.1. Composite (autograd).
#include <cmath>

#include "ops/hyperbolic/common.h"
#include "ops/hyperbolic/hyperbolic.h"

namespace lathe {

Tensor poincare_logmap0(const Tensor& y, double c) {
  const char* op = "poincare_logmap0";
  check_floating(op, "y", y);
  hyperbolic::check_curvature(op, c);
  LATHE_CHECK(y.dim() >= 1, "[", op, "] y needs a last (point) dim, got ", y.shape());
  double sc = std::sqrt(c);
  Tensor n = hyperbolic::clamped_norm(y);                     // [..., 1]
  return y / n / sc * hyperbolic::artanh_clamped(sc * n);              // [..., D]
}

LATHE_REGISTER_OPS(poincare_logmap0) {
  registry.add(OpDef("poincare_logmap0", "hyperbolic")
                   .summary("logarithmic map at the origin of the Poincare ball")
                   .paper("Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing")
                   .input("y")
                   .attr("c", 0.1, "negative curvature c > 0")
                   .output("u")
                   .run([](const OpCall& c) {
                     return Outputs{poincare_logmap0(c.in("y"), c.f("c"))};
                   }));
}

}  // namespace lathe
