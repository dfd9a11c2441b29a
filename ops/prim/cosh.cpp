// cosh: y = (e^x + e^-x) / 2.
// Backward: dy/dx = sinh x.
#include "ops/prim/common.h"

namespace lathe {

Tensor cosh(const Tensor& x) {
  check_floating("cosh", x);
  Tensor y = kernel::unary("cosh", LATHE_UNARY_COSH, x);
  record("cosh", {x}, {y}, {x}, [](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor s = c.saved(0);
    return {g * sinh(s)};
  });
  return y;
}

LATHE_REGISTER_OPS(cosh) { registry.add(unary_def("cosh", "hyperbolic cosine", cosh)); }

}  // namespace lathe
