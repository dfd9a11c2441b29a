// sin: y = sin x
// Backward: dy/dx = cos x.
#include "ops/prim/common.h"

namespace lathe {

Tensor sin(const Tensor& x) {
  check_floating("sin", x);
  Tensor y = kernel::unary("sin", LATHE_UNARY_SIN, x);
  record("sin", {x}, {y}, {x}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.grad() * cos(c.saved(0))};
  });
  return y;
}

LATHE_REGISTER_OPS(sin) { registry.add(unary_def("sin", "sine", sin)); }

}  // namespace lathe
