// abs: y = |x|
// Backward: dy/dx = sign(x), 0 at x = 0 (PyTorch's subgradient).
#include "ops/prim/common.h"

namespace lathe {

Tensor abs(const Tensor& x) {
  check_floating("abs", x);
  Tensor y = kernel::unary("abs", LATHE_UNARY_ABS, x);
  record("abs", {x}, {y}, {x}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.grad() * sign(c.saved(0))};
  });
  return y;
}

LATHE_REGISTER_OPS(abs) { registry.add(unary_def("abs", "absolute value", abs)); }

}  // namespace lathe
