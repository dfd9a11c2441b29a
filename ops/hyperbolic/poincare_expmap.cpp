// poincare_expmap: the exponential map at a base point x of the Poincare ball, per row
//   expmap_x(u) = x (+)_c tanh(sqrt(c) lambda_x |u| / 2) u / (sqrt(c) |u|)
//   lambda_x = 2 / (1 - c |x|^2)                 |u| clamped >= 1e-5, the tanh argument +-15
// Paper: "Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing"
// (catalog: other.md; Hyp-OC's learnable base point, train_x). Checked
// against hyptorch/pmath.py _expmap (same clamps, Mobius addition with its 1e-5).
// x inside the ball (|x| < 1/sqrt(c)), else lambda_x is negative or infinite: an error.
// Defaults: c 0.1. x, u [..., D] broadcast. Composite (autograd).
#include <cmath>

#include "ops/hyperbolic/common.h"
#include "ops/hyperbolic/hyperbolic.h"

namespace lathe {

Tensor poincare_expmap(const Tensor& x, const Tensor& u, double c) {
  const char* op = "poincare_expmap";
  check_floating(op, "x", x);
  check_floating(op, "u", u);
  hyperbolic::check_curvature(op, c);
  LATHE_CHECK(x.dim() >= 1 && u.dim() >= 1, "[", op, "] x and u need a last (point) dim, got ",
              x.shape(), " and ", u.shape());
  broadcast_shapes(x.shape(), u.shape(), op);
  Tensor x2 = hyperbolic::sq_norm(x);                                  // [..., 1]
  {
    NoGradGuard no_grad;
    LATHE_CHECK(max(x2.detach()).item() * c < 1.0, "[", op,
                "] the base point x must lie inside the ball (|x| < 1/sqrt(c) = ",
                1.0 / std::sqrt(c), "): project it first");
  }
  double sc = std::sqrt(c);
  Tensor lam = 2.0 / (1.0 - c * x2);                                   // [..., 1]
  Tensor n = hyperbolic::clamped_norm(u);                     // [..., 1]
  Tensor step = hyperbolic::tanh_clamped(0.5 * sc * lam * n) * u / (sc * n);   // [..., D]
  return hyperbolic::mobius_add_rows(x, step, c);                      // [..., D]
}

LATHE_REGISTER_OPS(poincare_expmap) {
  registry.add(OpDef("poincare_expmap", "hyperbolic")
                   .summary("exponential map at a base point x of the Poincare ball")
                   .paper("Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing")
                   .input("x")
                   .input("u")
                   .attr("c", 0.1, "negative curvature c > 0")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{poincare_expmap(c.in("x"), c.in("u"), c.f("c"))};
                   }));
}

}  // namespace lathe
