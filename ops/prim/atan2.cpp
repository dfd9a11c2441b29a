// atan2: y = atan2(a, b), the angle of the point (b, a) in (-pi, pi] (broadcasting).
// Backward: dy/da = b / (a^2 + b^2), dy/db = -a / (a^2 + b^2); NaN at a = b = 0, as PyTorch.
#include "ops/prim/common.h"

namespace lathe {

Tensor atan2(const Tensor& a, const Tensor& b) {
  check_floating("atan2", "a", a);
  check_floating("atan2", "b", b);
  DType t = promote(a.dtype(), b.dtype());
  Tensor y = kernel::binary("atan2", LATHE_BINARY_ATAN2, a, b, t, t);
  record("atan2", {a, b}, {y}, {a, b}, [](BackwardCtx& c) -> std::vector<Tensor> {
    Tensor a = c.saved(0), b = c.saved(1);
    Tensor scale = c.grad() / (a * a + b * b);
    return {c.needs(0) ? scale * b : Tensor(), c.needs(1) ? -(scale * a) : Tensor()};
  });
  return y;
}

LATHE_REGISTER_OPS(atan2) {
  registry.add(binary_def("atan2", "angle of the point (b, a), in (-pi, pi]", atan2));
}

}  // namespace lathe
