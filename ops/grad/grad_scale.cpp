// grad_scale: gradient modulation
//   forward y = x        backward dL/dx = kappa dL/dy         (defined, not the derivative)
// Paper: "Boosting Multi-modal Model Performance with Adaptive Gradient Modulation" (AGM;
// catalog: other.md; official code lihong2303/AGM_ICCV2023 model/CREMAD_net.py, GradMod's
// hooks that multiply the gradients into the mono-modal outputs m_a, m_v by kappa_a, kappa_v).
// The kappa schedule (kappa = exp(alpha min(r* - r, 10)) from running NLL averages) is state
// outside the op: the caller passes this step's kappa.
// Defaults: kappa 1 (identity). kappa 0 blocks the gradient, kappa < 0 reverses it. Double
// backward is defined (the rule is kappa g in public ops). Custom backward.
#include <cmath>

#include "ops/custom_op.h"
#include "ops/grad/grad.h"

namespace lathe {

Tensor grad_scale(const Tensor& x, double kappa) {
  const char* op = "grad_scale";
  check_floating(op, "x", x);
  LATHE_CHECK(std::isfinite(kappa), "[", op, "] kappa must be finite, got ", kappa);
  Tensor y;
  {
    NoGradGuard no_grad;
    y = clone(x);                                             // [...] like x
  }
  if (needs_grad({x}))
    record(op, {x}, {y}, {}, [kappa](BackwardCtx& ctx) -> std::vector<Tensor> {
      return {kappa * ctx.grad(0)};
    });
  return y;
}

LATHE_REGISTER_OPS(grad_scale) {
  registry.add(OpDef("grad_scale", "grad")
                   .summary("identity forward, gradient multiplied by kappa")
                   .paper("Boosting Multi-modal Model Performance with Adaptive Gradient "
                          "Modulation")
                   .input("x")
                   .attr("kappa", 1.0, "the gradient's factor (AGM's modulation coefficient)")
                   .custom_backward("defined backward kappa grad (not the identity's "
                                    "derivative); double backward defined")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{grad_scale(c.in("x"), c.f("kappa"))};
                   }));
}

}  // namespace lathe
