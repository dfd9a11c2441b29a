// neg: y = -x
// Backward: dy/dx = -1.
#include "ops/prim/common.h"

namespace lathe {

Tensor neg(const Tensor& x) {
  check_floating("neg", x);
  Tensor y = kernel::unary("neg", LATHE_UNARY_NEG, x);
  record("neg", {x}, {y}, {}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {-c.grad()};
  });
  return y;
}

LATHE_REGISTER_OPS(neg) { registry.add(unary_def("neg", "-x", neg)); }

}  // namespace lathe
