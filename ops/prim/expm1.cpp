// expm1: y = e^x - 1, exact for small |x|.
// Backward: dy/dx = e^x = y + 1 (saves y).
#include "ops/prim/common.h"

namespace lathe {

Tensor expm1(const Tensor& x) {
  check_floating("expm1", x);
  Tensor y = kernel::unary("expm1", LATHE_UNARY_EXPM1, x);
  record("expm1", {x}, {y}, {y}, [](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor s = c.saved(0);
    return {g * (s + 1.0)};
  });
  return y;
}

LATHE_REGISTER_OPS(expm1) { registry.add(unary_def("expm1", "exp(x) - 1, exact near 0", expm1)); }

}  // namespace lathe
