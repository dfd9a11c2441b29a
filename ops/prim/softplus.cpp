// softplus: y = log(1 + e^(beta x)) / beta, and y = x where beta x > threshold (PyTorch's
// linear cut-off, which also keeps exp from overflowing).
// Backward: dy/dx = sigmoid(beta x), and 1 above the threshold.
#include "ops/prim/common.h"

namespace lathe {

Tensor softplus(const Tensor& x, double beta, double threshold) {
  check_floating("softplus", x);
  LATHE_CHECK(beta != 0, "[softplus] beta must be nonzero");
  Tensor y = kernel::unary("softplus", LATHE_UNARY_SOFTPLUS, x, beta, threshold);
  record("softplus", {x}, {y}, {x}, [beta, threshold](BackwardCtx& c) -> std::vector<Tensor> {
    Tensor z = c.saved(0) * beta;
    return {where(gt(z, threshold), c.grad(), c.grad() * sigmoid(z))};
  });
  return y;
}

LATHE_REGISTER_OPS(softplus) {
  registry.add(OpDef("softplus", "prim")
                   .summary("log(1 + exp(beta x)) / beta, linear above threshold")
                   .input("x")
                   .attr("beta", 1.0, "sharpness")
                   .attr("threshold", 20.0, "linear where beta x > threshold")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{softplus(c.in("x"), c.f("beta"), c.f("threshold"))};
                   }));
}

}  // namespace lathe
