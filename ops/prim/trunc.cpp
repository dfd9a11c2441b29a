// trunc: y = x rounded towards 0.
// Backward: zero almost everywhere, and zero at the jumps too (PyTorch's convention), so the
// rule returns zeros without saving anything.
#include "ops/prim/common.h"

namespace lathe {

Tensor trunc(const Tensor& x) {
  check_floating("trunc", x);
  Tensor y = kernel::unary("trunc", LATHE_UNARY_TRUNC, x);
  record("trunc", {x}, {y}, {}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {zeros_like(c.grad())};
  });
  return y;
}

LATHE_REGISTER_OPS(trunc) { registry.add(unary_def("trunc", "round towards 0", trunc)); }

}  // namespace lathe
