// riemannian_grad: identity forward whose backward rescales the Euclidean gradient to the
// Riemannian gradient of the Poincare ball, per row
//   forward y = x        backward dL/dx = dL/dy (1 - c |x|^2)^2 / 4       (defined)
// Paper: "Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing"
// (catalog: other.md; Hyp-OC's hyptorch/nn.py RiemannianGradient, applied
// inside ToPoincare, with RiemannianGradient.c set to the ball's c; the Function is in
// hyptorch's pmath.py: backward grad_output (1 - c |x|^2)^2 / 4 on the saved x). The scale is
// 1/4 at the origin and -> 0 at the boundary.
// Double backward is defined: the rule is grad * scale in public ops with the scale computed
// from a detached x (a constant, as the Function's saved tensor is), so the second derivative
// with respect to grad is the scale. Defaults: c 0.1. Custom backward.
#include <cmath>

#include "ops/custom_op.h"
#include "ops/hyperbolic/common.h"
#include "ops/hyperbolic/hyperbolic.h"

namespace lathe {

Tensor riemannian_grad(const Tensor& x, double c) {
  const char* op = "riemannian_grad";
  check_floating(op, "x", x);
  hyperbolic::check_curvature(op, c);
  LATHE_CHECK(x.dim() >= 1, "[", op, "] x needs a last (point) dim, got ", x.shape());
  Tensor y, scale;
  {
    NoGradGuard no_grad;
    y = clone(x);                                                      // [..., D]
    Tensor s = 1.0 - c * hyperbolic::sq_norm(x);                       // [..., 1]
    scale = 0.25 * s * s;                                              // [..., 1]
  }
  if (needs_grad({x}))
    record(op, {x}, {y}, {scale}, [](BackwardCtx& ctx) -> std::vector<Tensor> {
      return {ctx.grad(0) * ctx.saved(0)};
    });
  return y;
}

LATHE_REGISTER_OPS(riemannian_grad) {
  registry.add(OpDef("riemannian_grad", "hyperbolic")
                   .summary("identity forward, gradient times (1 - c|x|^2)^2 / 4 per row")
                   .paper("Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing")
                   .input("x")
                   .attr("c", 0.1, "negative curvature c > 0")
                   .custom_backward("defined backward grad (1 - c|x|^2)^2 / 4, the Poincare "
                                    "ball's Riemannian gradient; double backward defined")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{riemannian_grad(c.in("x"), c.f("c"))};
                   }));
}

}  // namespace lathe
