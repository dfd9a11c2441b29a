// asinh: y = log(x + sqrt(x^2 + 1)).
// Backward: dy/dx = 1 / sqrt(x^2 + 1).
#include "ops/prim/common.h"

namespace lathe {

Tensor asinh(const Tensor& x) {
  check_floating("asinh", x);
  Tensor y = kernel::unary("asinh", LATHE_UNARY_ASINH, x);
  record("asinh", {x}, {y}, {x}, [](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor s = c.saved(0);
    return {g * rsqrt(s * s + 1.0)};
  });
  return y;
}

LATHE_REGISTER_OPS(asinh) { registry.add(unary_def("asinh", "inverse hyperbolic sine", asinh)); }

}  // namespace lathe
