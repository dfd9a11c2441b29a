// cos: y = cos x
// Backward: dy/dx = -sin x.
#include "ops/prim/common.h"

namespace lathe {

Tensor cos(const Tensor& x) {
  check_floating("cos", x);
  Tensor y = kernel::unary("cos", LATHE_UNARY_COS, x);
  record("cos", {x}, {y}, {x}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {-c.grad() * sin(c.saved(0))};
  });
  return y;
}

LATHE_REGISTER_OPS(cos) { registry.add(unary_def("cos", "cosine", cos)); }

}  // namespace lathe
