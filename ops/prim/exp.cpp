// exp: y = e^x
// Backward: dy/dx = e^x = y: the rule saves the output rather than recompute it.
#include "ops/prim/common.h"

namespace lathe {

Tensor exp(const Tensor& x) {
  check_floating("exp", x);
  Tensor y = kernel::unary("exp", LATHE_UNARY_EXP, x);
  record("exp", {x}, {y}, {y}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.grad() * c.saved(0)};
  });
  return y;
}

LATHE_REGISTER_OPS(exp) { registry.add(unary_def("exp", "e^x", exp)); }

}  // namespace lathe
