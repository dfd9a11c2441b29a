// log_softmax: y = (x - m) - log(sum(exp(x - m))) along an axis, m = max(x) held constant.
// Subtracting m before the log keeps f32 results accurate for large logits (x - logsumexp(x)
// would round logsumexp at the magnitude of m); never log(softmax(x)), which underflows.
// Composite: m cancels in the gradient.
#include "ops/prim/common.h"

namespace lathe {

Tensor log_softmax(const Tensor& x, int64_t axis) {
  check_floating("log_softmax", x);
  Tensor shifted = x - max(x.detach(), {axis}, true);
  return shifted - log(sum(exp(shifted), {axis}, true));
}

LATHE_REGISTER_OPS(log_softmax) {
  registry.add(OpDef("log_softmax", "nn")
                   .summary("x - logsumexp(x) along an axis")
                   .input("x")
                   .attr("axis", -1)
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{log_softmax(c.in("x"), c.i("axis"))};
                   }));
}

}  // namespace lathe
