// atanh: y = log((1 + x) / (1 - x)) / 2 on (-1, 1).
// Backward: dy/dx = 1 / (1 - x^2). Domain edges (as PyTorch): +-inf at x = +-1 with an
// infinite gradient, NaN outside [-1, 1].
#include "ops/prim/common.h"

namespace lathe {

Tensor atanh(const Tensor& x) {
  check_floating("atanh", x);
  Tensor y = kernel::unary("atanh", LATHE_UNARY_ATANH, x);
  record("atanh", {x}, {y}, {x}, [](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor s = c.saved(0);
    return {g / (1.0 - s * s)};
  });
  return y;
}

LATHE_REGISTER_OPS(atanh) { registry.add(unary_def("atanh", "inverse hyperbolic tangent", atanh)); }

}  // namespace lathe
