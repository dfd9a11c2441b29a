// relu: y = max(x, 0)
// Backward: dy/dx = 1 where y > 0, else 0 (0 at x = 0, as PyTorch).
#include "ops/prim/common.h"

namespace lathe {

Tensor relu(const Tensor& x) {
  check_floating("relu", x);
  Tensor y = kernel::unary("relu", LATHE_UNARY_RELU, x);
  record("relu", {x}, {y}, {y}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {where(gt(c.saved(0), 0.0), c.grad(), 0.0)};
  });
  return y;
}

LATHE_REGISTER_OPS(relu) { registry.add(unary_def("relu", "rectified linear unit", relu)); }

}  // namespace lathe
