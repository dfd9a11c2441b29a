// crrelu: Correction Regularized ReLU, elementwise
//   CRReLU(x) = relu(x) + eps x exp(-x^2 / 2)        eps a learnable scalar (module init 0.01)
// Paper: "A Method on Searching Better Activation Functions" (EAFO; catalog: activation.md).
// No official repository; the catalog's port is a third-party PyTorch CRReLU class, which
// matches the paper's definition (confidence "code (port)": nothing left to verify).
// Gradients (autograd): d/dx = 1[x > 0] + eps (1 - x^2) exp(-x^2 / 2), d/deps = sum over
// elements of x exp(-x^2 / 2) (eps broadcasts, autograd un-broadcasts). eps = 0 is plain relu.
// Composite.
#include "ops/activation/activation.h"
#include "ops/composite.h"

namespace lathe {

Tensor crrelu(const Tensor& x, const Tensor& eps) {
  const char* op = "crrelu";
  check_floating(op, "x", x);
  check_floating(op, "eps", eps);
  LATHE_CHECK(eps.numel() == 1, "[", op, "] eps must hold one value (a scalar), got ",
              eps.shape());
  Tensor e = reshape(eps, Shape::filled(x.dim(), 1));       // [1, ...] broadcast over x
  return relu(x) + e * x * exp(-0.5 * x * x);               // [...] like x
}

LATHE_REGISTER_OPS(crrelu) {
  registry.add(OpDef("crrelu", "activation")
                   .summary("Correction Regularized ReLU relu(x) + eps x exp(-x^2/2)")
                   .paper("A Method on Searching Better Activation Functions")
                   .input("x")
                   .input("eps")
                   .output("y")
                   .run([](const OpCall& c) { return Outputs{crrelu(c.in("x"), c.in("eps"))}; }));
}

}  // namespace lathe
