// hypot: y = sqrt(a^2 + b^2) without overflow or underflow in the squares (broadcasting).
// Backward: dy/da = a / y, dy/db = b / y (saves y); NaN at a = b = 0, as PyTorch.
#include "ops/prim/common.h"

namespace lathe {

Tensor hypot(const Tensor& a, const Tensor& b) {
  check_floating("hypot", "a", a);
  check_floating("hypot", "b", b);
  DType t = promote(a.dtype(), b.dtype());
  Tensor y = kernel::binary("hypot", LATHE_BINARY_HYPOT, a, b, t, t);
  record("hypot", {a, b}, {y}, {a, b, y}, [](BackwardCtx& c) -> std::vector<Tensor> {
    Tensor scale = c.grad() / c.saved(2);
    return {c.needs(0) ? scale * c.saved(0) : Tensor(),
            c.needs(1) ? scale * c.saved(1) : Tensor()};
  });
  return y;
}

LATHE_REGISTER_OPS(hypot) {
  registry.add(binary_def("hypot", "sqrt(a^2 + b^2), no overflow", hypot));
}

}  // namespace lathe
