// log1p: y = log(1 + x), exact for small |x|.
// Backward: dy/dx = 1 / (1 + x). Domain edges (as PyTorch): -inf at x = -1, NaN below.
#include "ops/prim/common.h"

namespace lathe {

Tensor log1p(const Tensor& x) {
  check_floating("log1p", x);
  Tensor y = kernel::unary("log1p", LATHE_UNARY_LOG1P, x);
  record("log1p", {x}, {y}, {x}, [](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor s = c.saved(0);
    return {g / (1.0 + s)};
  });
  return y;
}

LATHE_REGISTER_OPS(log1p) { registry.add(unary_def("log1p", "log(1 + x), exact near 0", log1p)); }

}  // namespace lathe
