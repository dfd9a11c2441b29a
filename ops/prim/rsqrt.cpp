// rsqrt: y = 1 / sqrt(x)
// Backward: dy/dx = -0.5 x^(-3/2) = -0.5 y^3.
#include "ops/prim/common.h"

namespace lathe {

Tensor rsqrt(const Tensor& x) {
  check_floating("rsqrt", x);
  Tensor y = kernel::unary("rsqrt", LATHE_UNARY_RSQRT, x);
  record("rsqrt", {x}, {y}, {y}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.grad() * -0.5 * c.saved(0) * c.saved(0) * c.saved(0)};
  });
  return y;
}

LATHE_REGISTER_OPS(rsqrt) { registry.add(unary_def("rsqrt", "reciprocal square root", rsqrt)); }

}  // namespace lathe
