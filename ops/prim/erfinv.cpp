// erfinv: y = erf^-1(x) on [-1, 1] (backends/special.h: Giles' approximation refined
// by Newton steps). Edges (as PyTorch): +-inf at +-1, NaN outside.
// Backward: dy/dx = sqrt(pi)/2 e^(y^2) (saves y).
#include "ops/prim/common.h"

namespace lathe {

Tensor erfinv(const Tensor& x) {
  check_floating("erfinv", x);
  Tensor y = kernel::unary("erfinv", LATHE_UNARY_ERFINV, x);
  record("erfinv", {x}, {y}, {y}, [](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor s = c.saved(0);
    return {g * 0.88622692545275801 * exp(s * s)};
  });
  return y;
}

LATHE_REGISTER_OPS(erfinv) { registry.add(unary_def("erfinv", "inverse error function", erfinv)); }

}  // namespace lathe
