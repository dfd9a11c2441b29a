// acosh: y = log(x + sqrt(x^2 - 1)) on [1, inf).
// Backward: dy/dx = 1 / sqrt((x - 1)(x + 1)) (the product keeps digits near 1, where
// x^2 - 1 cancels). Domain edges (as PyTorch): 0 with an infinite gradient at x = 1, NaN
// below.
#include "ops/prim/common.h"

namespace lathe {

Tensor acosh(const Tensor& x) {
  check_floating("acosh", x);
  Tensor y = kernel::unary("acosh", LATHE_UNARY_ACOSH, x);
  record("acosh", {x}, {y}, {x}, [](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor s = c.saved(0);
    return {g * rsqrt((s - 1.0) * (s + 1.0))};
  });
  return y;
}

LATHE_REGISTER_OPS(acosh) { registry.add(unary_def("acosh", "inverse hyperbolic cosine", acosh)); }

}  // namespace lathe
