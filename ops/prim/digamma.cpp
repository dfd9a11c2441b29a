// digamma: y = psi(x) = d/dx log Gamma(x) (backends/special.h: the series, recurrence and
// reflection every backend shares).
// Backward: dy/dx = polygamma(1, x) (trigamma), itself a primitive with a backward, so
// every order of gradient exists. Poles (as PyTorch): -inf at +0, +inf at -0, NaN at
// -1, -2, ...
#include "ops/prim/common.h"

namespace lathe {

Tensor digamma(const Tensor& x) {
  check_floating("digamma", x);
  Tensor y = kernel::unary("digamma", LATHE_UNARY_DIGAMMA, x);
  record("digamma", {x}, {y}, {x}, [](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor s = c.saved(0);
    return {g * polygamma(1, s)};
  });
  return y;
}

LATHE_REGISTER_OPS(digamma) { registry.add(unary_def("digamma", "d/dx log Gamma(x)", digamma)); }

}  // namespace lathe
