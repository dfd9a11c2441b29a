// sigmoid: y = 1 / (1 + e^-x)
// Backward: dy/dx = y (1 - y).
#include "ops/prim/common.h"

namespace lathe {

Tensor sigmoid(const Tensor& x) {
  check_floating("sigmoid", x);
  Tensor y = kernel::unary("sigmoid", LATHE_UNARY_SIGMOID, x);
  record("sigmoid", {x}, {y}, {y}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.grad() * c.saved(0) * (1.0 - c.saved(0))};
  });
  return y;
}

LATHE_REGISTER_OPS(sigmoid) { registry.add(unary_def("sigmoid", "logistic sigmoid", sigmoid)); }

}  // namespace lathe
