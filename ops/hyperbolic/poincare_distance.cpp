// poincare_distance: the geodesic distance on the Poincare ball, per row pair
//   d_c(x, y) = (2 / sqrt(c)) artanh(sqrt(c) |(-x) (+)_c y|)              [...] from [..., D]
// Paper: "Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing"
// (catalog: other.md). Checked against hyptorch/pmath.py _dist and its
// Artanh Function: the artanh input is clamped to +-(1 - 1e-5) inside the Function, whose
// backward is g / (1 - z^2) on the clamped z. NOTE: so where the clamp is active (points at
// the boundary) the official gradient is not zero but g / (1 - (1 - 1e-5)^2) ~ 5e4 g; the
// catalog's oracle (clamp, then torch.atanh) would give 0 there. We follow the code: a
// straight-through clamp, then atanh (hyperbolic::artanh_clamped).
// x = y gives 0 with gradient 0 (PyTorch's norm backward at a zero vector).
// Defaults: c 0.1. x, y [..., D] broadcast. Composite (autograd).
#include <cmath>

#include "ops/hyperbolic/common.h"
#include "ops/hyperbolic/hyperbolic.h"

namespace lathe {

Tensor poincare_distance(const Tensor& x, const Tensor& y, double c) {
  const char* op = "poincare_distance";
  check_floating(op, "x", x);
  check_floating(op, "y", y);
  hyperbolic::check_curvature(op, c);
  LATHE_CHECK(x.dim() >= 1 && y.dim() >= 1, "[", op, "] x and y need a last (point) dim, got ",
              x.shape(), " and ", y.shape());
  broadcast_shapes(x.shape(), y.shape(), op);
  double sc = std::sqrt(c);
  Tensor m = hyperbolic::mobius_add_rows(-x, y, c);                    // [..., D]
  Tensor n = squeeze(hyperbolic::row_norm(m), {-1});                  // [...]
  return (2.0 / sc) * hyperbolic::artanh_clamped(sc * n);              // [...]
}

LATHE_REGISTER_OPS(poincare_distance) {
  registry.add(OpDef("poincare_distance", "hyperbolic")
                   .summary("geodesic distance (2/sqrt(c)) artanh(sqrt(c) |(-x) (+)_c y|)")
                   .paper("Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing")
                   .input("x")
                   .input("y")
                   .attr("c", 0.1, "negative curvature c > 0")
                   .output("d")
                   .run([](const OpCall& c) {
                     return Outputs{poincare_distance(c.in("x"), c.in("y"), c.f("c"))};
                   }));
}

}  // namespace lathe
