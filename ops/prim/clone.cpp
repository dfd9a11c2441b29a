// clone: a contiguous copy with its own storage.
// Backward: the identity.
#include "ops/prim/common.h"

namespace lathe {

Tensor clone(const Tensor& x) {
  Tensor y = kernel::empty(x.shape(), x.dtype(), x.device());
  kernel::copy("clone", x, y);
  record("clone", {x}, {y}, {}, [](BackwardCtx& c) -> std::vector<Tensor> { return {c.grad()}; });
  return y;
}

LATHE_REGISTER_OPS(clone) {
  registry.add(OpDef("clone", "prim")
                   .summary("contiguous copy")
                   .input("x", Kind::any)
                   .output("y", Kind::any)
                   .run([](const OpCall& c) { return Outputs{clone(c.in("x"))}; }));
}

}  // namespace lathe
