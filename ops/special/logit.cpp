// logit: y = log(z / (1 - z)) = log z - log1p(-z), z = clamp(x, eps, 1 - eps) when eps >= 0,
// else z = x (torch.logit's eps=None). Composite; the clamp passes no gradient outside
// [eps, 1 - eps], which is PyTorch's logit_backward. Without eps: +-inf at 1 and 0, NaN outside.
#include "ops/composite.h"

namespace lathe {

Tensor logit(const Tensor& x, double eps) {
  check_floating("logit", x);
  LATHE_CHECK(eps <= 0.5, "[logit] eps must be at most 0.5 (or negative for none), got ", eps);
  Tensor z = eps >= 0 ? clamp(x, eps, 1.0 - eps) : x;
  return log(z) - log1p(-z);
}

LATHE_REGISTER_OPS(logit) {
  registry.add(OpDef("logit", "nn")
                   .summary("log(x / (1 - x)), x clamped to [eps, 1 - eps] when eps >= 0")
                   .input("x")
                   .attr("eps", -1.0, "clamp margin; negative: no clamp (torch's eps=None)")
                   .output("y")
                   .run([](const OpCall& c) { return Outputs{logit(c.in("x"), c.f("eps"))}; }));
}

}  // namespace lathe
