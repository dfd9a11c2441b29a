// polygamma: y = psi^(n)(x), the n-th derivative of digamma (n >= 1; n = 1 is trigamma):
// (-1)^(n+1) n! sum_k 1/(x + k)^(n+1) (backends/special.h). It is digamma's backward, and its
// own backward is the next order, so gradients of digamma (and lgamma) exist to any order.
// Backward: dy/dx = polygamma(n + 1, x). Poles: (-1)^(n+1) inf at 0, -1, -2, ... (PyTorch's
// trigamma gives +inf there).
// NOTE: PyTorch's f64 trigamma is accurate to ~1e-10 relative only (three series terms from
// x >= 6); ours uses seven from x >= 15 + 2n, ~1e-15 (checked against mpmath).
#include "ops/prim/common.h"

namespace lathe {

Tensor polygamma(int64_t n, const Tensor& x) {
  check_floating("polygamma", x);
  LATHE_CHECK(n >= 1 && n <= 32, "[polygamma] order n must be in [1, 32] (0 is digamma), got ", n);
  Tensor y = kernel::unary("polygamma", LATHE_UNARY_POLYGAMMA, x, static_cast<double>(n));
  record("polygamma", {x}, {y}, {x}, [n](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.grad() * polygamma(n + 1, c.saved(0))};
  });
  return y;
}

LATHE_REGISTER_OPS(polygamma) {
  registry.add(OpDef("polygamma", "prim")
                   .summary("n-th derivative of digamma (n = 1: trigamma)")
                   .input("x")
                   .attr("n", 1, "order, 1 to 32")
                   .output("y")
                   .run([](const OpCall& c) { return Outputs{polygamma(c.i("n"), c.in("x"))}; }));
}

}  // namespace lathe
