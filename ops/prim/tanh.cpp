// tanh: y = tanh x
// Backward: dy/dx = 1 - y^2.
#include "ops/prim/common.h"

namespace lathe {

Tensor tanh(const Tensor& x) {
  check_floating("tanh", x);
  Tensor y = kernel::unary("tanh", LATHE_UNARY_TANH, x);
  record("tanh", {x}, {y}, {y}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.grad() * (1.0 - c.saved(0) * c.saved(0))};
  });
  return y;
}

LATHE_REGISTER_OPS(tanh) { registry.add(unary_def("tanh", "hyperbolic tangent", tanh)); }

}  // namespace lathe
