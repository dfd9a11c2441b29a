// sigma_reparam: sigmaReparam, a spectrally normalized weight with a learnable scale
//   v = normalize(W u), u' = normalize(W^T v)         one power iteration, no gradient
//   sigma = v^T W u'                                   u', v constants
//   W_hat = gamma W / sigma
// W [out, in...] (a conv kernel is flattened to [out, in kh kw]), gamma [] or [1], state u [in].
// Paper: "Stabilizing Transformer Training by Preventing Attention Entropy Collapse" (Zhai et
// al., ICML 2023). Checked against the official code, apple/ml-sigma-reparam vision/layers.py
// (SpectralNormedWeight.get_sigma, SNLinear): the iteration runs on every call; u is replaced
// only in training, but sigma uses the fresh u' in eval too (the code computes it either way).
// The module (models/reparam.h, SNLinear) initializes u to the top right singular vector and
// gamma ("sigma" in the code) to the top singular value, so W_hat = W at init.
// Backward (defined): u and v are treated as constants although they depend on W, so
// dL/dW = (gamma/sigma) G - (gamma/sigma^2) <G, W> v u'^T and dL/dgamma = <G, W>/sigma; autograd
// composes it from sigma's detached vectors. Finite differences of the forward would also move
// u and v, so the check freezes them (tests/ops/reparam/reparam_test.cpp) and the oracle uses the
// same rule. The new u is a state output (DESIGN rule 9).
#include "ops/composite.h"
#include "ops/reparam/reparam.h"

namespace lathe {

SigmaReparamResult sigma_reparam(const Tensor& weight, const Tensor& gamma, const Tensor& u,
                                 bool training) {
  const char* op = "sigma_reparam";
  check_floating(op, "weight", weight);
  check_floating(op, "gamma", gamma);
  check_floating(op, "u", u);
  LATHE_CHECK(weight.dim() >= 2, "[", op, "] weight must have at least 2 dims, got ",
              weight.shape());
  LATHE_CHECK(weight.numel() > 0, "[", op, "] weight must not be empty, got ", weight.shape());
  LATHE_CHECK(gamma.numel() == 1, "[", op, "] gamma must hold one value, got ", gamma.shape());
  int64_t out = weight.size(0), in = weight.numel() / out;
  check_shape(op, "u", u, {in});
  Tensor w = reshape(weight, {out, in});                     // [out, in]
  Tensor v, u_new;
  {
    NoGradGuard no_grad;
    Tensor wd = w.detach();
    v = normalize(matmul(wd, u), 2.0, 0);                    // [out]
    u_new = normalize(matmul(transpose(wd, 0, 1), v), 2.0, 0);  // [in]
  }
  Tensor sigma = sum(matmul(w, u_new) * v);                  // [] = v^T W u'
  Tensor g = reshape(gamma, Shape::filled(weight.dim(), 1));  // [1, ...]
  return {g * weight / sigma, sigma, training ? u_new : u};
}

LATHE_REGISTER_OPS(sigma_reparam) {
  registry.add(OpDef("sigma_reparam", "reparam")
                   .summary("sigmaReparam gamma W / sigma(W), sigma from one power iteration on "
                            "the state u")
                   .paper("Stabilizing Transformer Training by Preventing Attention Entropy "
                          "Collapse")
                   .input("weight")
                   .input("gamma")
                   .attr("training", true, "replace u by the iterated vector (eval keeps it)")
                   .custom_backward("u and v of the power iteration are constants (no gradient "
                                    "through their dependence on W)")
                   .output("weight_hat")
                   .output("sigma")
                   .state("u")
                   .run([](const OpCall& c) {
                     SigmaReparamResult r =
                         sigma_reparam(c.in("weight"), c.in("gamma"), c.in("u"), c.b("training"));
                     return Outputs{r.weight, r.sigma, r.u};
                   }));
}

}  // namespace lathe
