// sqrt: y = sqrt(x)
// Backward: dy/dx = 1 / (2 sqrt(x)) = 0.5 / y.
#include "ops/prim/common.h"

namespace lathe {

Tensor sqrt(const Tensor& x) {
  check_floating("sqrt", x);
  Tensor y = kernel::unary("sqrt", LATHE_UNARY_SQRT, x);
  record("sqrt", {x}, {y}, {y}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.grad() * 0.5 / c.saved(0)};
  });
  return y;
}

LATHE_REGISTER_OPS(sqrt) { registry.add(unary_def("sqrt", "square root", sqrt)); }

}  // namespace lathe
