// reste_sign: sign binarization with the Rectified Straight Through Estimator
//   forward  y = sign(x)                              (sign(0) = 0)
//   backward dL/dx = g(x) dL/dy, g the derivative of the rectified power sign(x) |x|^(1/o):
//     g = (1/o) |x|^((1 - o)/o)   for delta < |x| <= t
//     g = delta^(1/o) / delta     for |x| <= delta     (the secant: no singularity at 0)
//     g = 0                       for |x| > t
// Paper: "Estimator Meets Equilibrium Perspective: A Rectified Straight Through Estimator for
// Binary Neural Networks Training" (ReSTE; catalog: reparam.md). Checked against the official
// code, DravenALG/ReSTE model/binary_module/binarized_modules.py (Binary_ReSTE): the same masks
// (|x| = delta takes the secant, |x| = t the power, |x| > t 0), interval delta 0.1, t 1.5; the
// code schedules o from 1 to o_end = 3 (utils/arguments.py) and passes it per call, as here.
// Weights are binarized as reste_sign(w) mean|w| by the caller (the layer's scaling factor).
// Defaults: o 3, t 1.5, delta 0.1. Double backward is refused (an error naming the op): the
// estimator is a first-order rule, and PyTorch's Function saves x without a graph through g.
#include <cmath>

#include "ops/custom_op.h"
#include "ops/quant/quant.h"

namespace lathe {

Tensor reste_sign(const Tensor& x, double o, double t, double delta) {
  const char* op = "reste_sign";
  check_floating(op, "x", x);
  LATHE_CHECK(o >= 1.0, "[", op, "] o must be >= 1, got ", o);
  LATHE_CHECK(delta > 0.0 && t > delta, "[", op, "] need 0 < delta < t, got delta ", delta,
              ", t ", t);
  bool wants_grad = needs_grad({x});  // before the guard, which turns it off
  Tensor y, g;
  {
    NoGradGuard no_grad;
    y = sign(x);                                                          // [...] like x
    if (wants_grad) {
      Tensor a = abs(x);                                                  // [...]
      Tensor power = (1.0 / o) * pow(maximum(a, delta), (1.0 - o) / o);   // [...]
      Tensor inner = where(le(a, delta), std::pow(delta, 1.0 / o) / delta, power);
      g = where(gt(a, t), 0.0, inner);                                    // [...]
    }
  }
  if (wants_grad)
    record(op, {x}, {y}, {g}, [](BackwardCtx& ctx) -> std::vector<Tensor> {
      LATHE_CHECK(!is_grad_enabled(), "[reste_sign] double backward (create_graph) is not "
                  "defined: ReSTE's backward is a first-order estimator");
      return {ctx.saved(0) * ctx.grad(0)};
    });
  return y;
}

LATHE_REGISTER_OPS(reste_sign) {
  registry.add(OpDef("reste_sign", "quant")
                   .summary("sign(x) with ReSTE's rectified straight-through backward")
                   .paper("Estimator Meets Equilibrium Perspective: A Rectified Straight "
                          "Through Estimator for Binary Neural Networks Training")
                   .input("x")
                   .attr("o", 3.0, "the power o >= 1 (scheduled 1 -> 3 in training)")
                   .attr("t", 1.5, "gradient threshold: 0 beyond |x| > t")
                   .attr("delta", 0.1, "interval around 0 where the secant slope is used")
                   .custom_backward("ReSTE's rectified estimator g(x) grad (not sign's "
                                    "derivative); double backward refused")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{reste_sign(c.in("x"), c.f("o"), c.f("t"), c.f("delta"))};
                   }));
}

}  // namespace lathe
