// sinh: y = (e^x - e^-x) / 2.
// Backward: dy/dx = cosh x.
#include "ops/prim/common.h"

namespace lathe {

Tensor sinh(const Tensor& x) {
  check_floating("sinh", x);
  Tensor y = kernel::unary("sinh", LATHE_UNARY_SINH, x);
  record("sinh", {x}, {y}, {x}, [](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor s = c.saved(0);
    return {g * cosh(s)};
  });
  return y;
}

LATHE_REGISTER_OPS(sinh) { registry.add(unary_def("sinh", "hyperbolic sine", sinh)); }

}  // namespace lathe
