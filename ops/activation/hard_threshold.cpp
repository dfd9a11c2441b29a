// hard_threshold: the proximal operator of the l0 penalty, elementwise
//   hard(x, lam) = x 1[|x| > lam]                     lam broadcast to x; |x| = lam is dropped
// The nonlinearity of deep-unfolded IHT; for (1/2)|y - A x|^2 + l0 |x|_0 the step with size g
// thresholds at lam = sqrt(2 g l0) (the prox of g l0 |.|_0), which the caller computes.
// Paper: "Comparison between Supervised and Unsupervised Learning in Deep Unfolded Sparse
// Signal Recovery" (catalog: activation.md; confidence standard: F.hardshrink for a scalar lam).
// Gradients (autograd): d/dx = 1[|x| > lam]; d/dlam = 0 almost everywhere (the mask is a
// comparison: no gradient flows to lam, as in PyTorch). Composite.
#include "ops/activation/activation.h"
#include "ops/composite.h"

namespace lathe {

Tensor hard_threshold(const Tensor& x, const Tensor& lam) {
  const char* op = "hard_threshold";
  check_floating(op, "x", x);
  check_floating(op, "lam", lam);
  LATHE_CHECK(broadcast_shapes(lam.shape(), x.shape(), op) == x.shape(), "[", op, "] lam ",
              lam.shape(), " must broadcast to x ", x.shape());
  return where(gt(abs(x), lam), x, 0.0);                    // [...] like x
}

LATHE_REGISTER_OPS(hard_threshold) {
  registry.add(OpDef("hard_threshold", "activation")
                   .summary("hard thresholding x 1[|x| > lam] (the l0 prox)")
                   .paper("Comparison between Supervised and Unsupervised Learning in Deep "
                          "Unfolded Sparse Signal Recovery")
                   .input("x")
                   .input("lam", Kind::floating, kNoGrad)
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{hard_threshold(c.in("x"), c.in("lam"))};
                   }));
}

}  // namespace lathe
