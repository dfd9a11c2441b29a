// erf: y = erf(x) = 2/sqrt(pi) * integral_0^x e^(-t^2) dt
// Backward: dy/dx = 2/sqrt(pi) e^(-x^2).
#include "ops/prim/common.h"

namespace lathe {

Tensor erf(const Tensor& x) {
  check_floating("erf", x);
  Tensor y = kernel::unary("erf", LATHE_UNARY_ERF, x);
  record("erf", {x}, {y}, {x}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.grad() * 1.1283791670955126 * exp(-(c.saved(0) * c.saved(0)))};
  });
  return y;
}

LATHE_REGISTER_OPS(erf) { registry.add(unary_def("erf", "Gauss error function", erf)); }

}  // namespace lathe
