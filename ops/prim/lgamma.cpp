// lgamma: y = log |Gamma(x)|.
// Backward: dy/dx = digamma(x). Poles (as PyTorch): +inf at 0, -1, -2, ... (and the
// gradient there is digamma's: -inf at +0, NaN at the negative integers).
#include "ops/prim/common.h"

namespace lathe {

Tensor lgamma(const Tensor& x) {
  check_floating("lgamma", x);
  Tensor y = kernel::unary("lgamma", LATHE_UNARY_LGAMMA, x);
  record("lgamma", {x}, {y}, {x}, [](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor s = c.saved(0);
    return {g * digamma(s)};
  });
  return y;
}

LATHE_REGISTER_OPS(lgamma) { registry.add(unary_def("lgamma", "log |Gamma(x)|", lgamma)); }

}  // namespace lathe
