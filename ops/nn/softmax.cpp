// softmax: y = exp(x - m) / sum(exp(x - m)) along an axis, m = max(x) held constant (the shift
// cancels in the ratio, so the gradient is unaffected). Composite.
#include "ops/prim/common.h"

namespace lathe {

Tensor softmax(const Tensor& x, int64_t axis) {
  check_floating("softmax", x);
  Tensor e = exp(x - max(x.detach(), {axis}, true));
  return e / sum(e, {axis}, true);
}

LATHE_REGISTER_OPS(softmax) {
  registry.add(OpDef("softmax", "nn")
                   .summary("exp(x) / sum(exp(x)) along an axis")
                   .input("x")
                   .attr("axis", -1)
                   .output("y")
                   .run([](const OpCall& c) { return Outputs{softmax(c.in("x"), c.i("axis"))}; }));
}

}  // namespace lathe
