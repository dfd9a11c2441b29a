// soft_threshold: the proximal operator of lam |x|_1, elementwise
//   soft(x, lam) = sign(x) max(|x| - lam, 0)          lam broadcast to x (a learnable threshold)
// The nonlinearity of deep-unfolded ISTA: x_{t+1} = soft(x_t + g_t A^T (y - A x_t), g_t lam).
// Paper: "Comparison between Supervised and Unsupervised Learning in Deep Unfolded Sparse
// Signal Recovery" (catalog: activation.md; confidence standard: F.softshrink for a scalar lam).
// Gradients (autograd): d/dx = 1[|x| > lam], d/dlam = -sign(x) 1[|x| > lam]; at |x| = lam the
// output is 0 and both are 0 (relu'(0) = 0, PyTorch's softshrink rule). Composite.
#include "ops/activation/activation.h"
#include "ops/composite.h"

namespace lathe {

Tensor soft_threshold(const Tensor& x, const Tensor& lam) {
  const char* op = "soft_threshold";
  check_floating(op, "x", x);
  check_floating(op, "lam", lam);
  LATHE_CHECK(broadcast_shapes(lam.shape(), x.shape(), op) == x.shape(), "[", op, "] lam ",
              lam.shape(), " must broadcast to x ", x.shape());
  return sign(x) * relu(abs(x) - lam);                      // [...] like x
}

LATHE_REGISTER_OPS(soft_threshold) {
  registry.add(OpDef("soft_threshold", "activation")
                   .summary("soft thresholding sign(x) max(|x| - lam, 0) (the l1 prox)")
                   .paper("Comparison between Supervised and Unsupervised Learning in Deep "
                          "Unfolded Sparse Signal Recovery")
                   .input("x")
                   .input("lam")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{soft_threshold(c.in("x"), c.in("lam"))};
                   }));
}

}  // namespace lathe
