// gradient_reversal: the gradient reversal layer
//   forward y = x        backward dL/dx = -coeff dL/dy        (defined, not the derivative)
// Paper: "Adversarial Style Augmentation for Domain Generalization" (AdvStyle; catalog:
// other.md; official code YBZh/AdvStyle Dassl.pytorch/dassl/modeling/ops/advstyle.py, a
// torch.autograd.Function returning x.view_as(x) and -coeff * grad).
// Defaults: coeff 1 (adv_weight). coeff 0 blocks the gradient; two reversals cancel.
// Double backward is defined: the rule is -coeff g in public ops, so its derivative with respect
// to g is -coeff again (what PyTorch's Function gives under create_graph). The output is a new
// tensor (a copy), so an in-place write to it does not touch x. Custom backward.
#include <cmath>

#include "ops/custom_op.h"
#include "ops/grad/grad.h"

namespace lathe {

Tensor gradient_reversal(const Tensor& x, double coeff) {
  const char* op = "gradient_reversal";
  check_floating(op, "x", x);
  LATHE_CHECK(std::isfinite(coeff), "[", op, "] coeff must be finite, got ", coeff);
  Tensor y;
  {
    NoGradGuard no_grad;
    y = clone(x);                                             // [...] like x
  }
  if (needs_grad({x}))
    record(op, {x}, {y}, {}, [coeff](BackwardCtx& ctx) -> std::vector<Tensor> {
      return {-coeff * ctx.grad(0)};
    });
  return y;
}

LATHE_REGISTER_OPS(gradient_reversal) {
  registry.add(OpDef("gradient_reversal", "grad")
                   .summary("identity forward, gradient multiplied by -coeff")
                   .paper("Adversarial Style Augmentation for Domain Generalization")
                   .input("x")
                   .attr("coeff", 1.0, "the reversal weight (adv_weight)")
                   .custom_backward("defined backward -coeff grad (not the identity's "
                                    "derivative); double backward defined")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{gradient_reversal(c.in("x"), c.f("coeff"))};
                   }));
}

}  // namespace lathe
