// cs_divergence_conditional: the conditional Cauchy-Schwarz divergence between p(y|x) and
// p(yhat|x) (the prediction term of the CS information bottleneck), with Gaussian Grams
// (cs_gaussian_gram) K = K(x,x), L1 = K(y,y), L2 = K(yhat,yhat), L21 = K(yhat,y):
//   r_i = sum_j K_ij^2,   f(L) = sum_i (sum_j K_ij L_ij) / r_i
//   D = -2 log2 f(L21) + log2 f(L1) + log2 f(L2)          (>= 0; 0 when yhat = y)
// of inputs x [N, ...] (flattened per row), targets y [N, 1] and predictions yhat [N, 1].
// A scalar over the batch (the loss declares its own reduction).
// Paper: "Cauchy-Schwarz Divergence Information Bottleneck for Regression", Eq. 18 (catalog:
// divergence.md, confidence 'official code': SJYuCNEL/Cauchy-Schwarz-Information-Bottleneck
// loss_cs.py, CS_IB_Housing.py).
// Defaults: sigma 1 for every Gram.
// Decision: y and yhat must be [N, 1]; the reference silently builds wrong Grams from 1-D
// vectors, so those are refused. The target is a constant (kNoGrad), the prediction is
// differentiated; x enters only through K (the inputs, not differentiated either).
// Gradient (autograd) through the Grams and log2.
// Composite.
#include "losses/divergence/divergence.h"
#include "ops/composite.h"

#include <cmath>

namespace lathe {

Tensor cs_divergence_conditional(const Tensor& x, const Tensor& target, const Tensor& input,
                                 const CsDivergenceOptions& o) {
  const char* op = "cs_divergence_conditional";
  check_floating(op, "x", x);
  check_floating(op, "target", target);
  check_floating(op, "input", input);
  LATHE_CHECK(x.dim() >= 1 && x.shape()[0] > 0, "[", op, "] x must be [N, ...], got ", x.shape());
  int64_t n = x.shape()[0];
  check_shape(op, "target", target, {n, 1});
  check_shape(op, "input", input, {n, 1});
  LATHE_CHECK(o.sigma > 0, "[", op, "] sigma must be > 0, got ", o.sigma);
  Tensor xf = reshape(x.detach(), {n, x.numel() / n});                    // [N, D]
  Tensor y = target.detach();
  Tensor k = cs_gaussian_gram(xf, xf, o.sigma);                           // [N, N]
  Tensor r = sum(k * k, {-1});                                            // [N]
  auto f = [&](const Tensor& l) { return sum(sum(k * l, {-1}) / r); };    // []
  double inv_ln2 = 1.0 / std::log(2.0);
  Tensor l21 = f(cs_gaussian_gram(input, y, o.sigma));
  Tensor l1 = f(cs_gaussian_gram(y, y, o.sigma));
  Tensor l2 = f(cs_gaussian_gram(input, input, o.sigma));
  return (-2.0 * log(l21) + log(l1) + log(l2)) * inv_ln2;
}

LATHE_REGISTER_OPS(cs_divergence_conditional) {
  registry.add(OpDef("cs_divergence_conditional", "divergence")
                   .summary("conditional Cauchy-Schwarz divergence of p(y|x) and p(yhat|x), "
                            "log base 2")
                   .paper("Cauchy-Schwarz Divergence Information Bottleneck for Regression")
                   .input("x", Kind::floating, kNoGrad)
                   .input("target", Kind::floating, kNoGrad)
                   .input("input")
                   .options<CsDivergenceOptions>()
                   .attr("sigma", &CsDivergenceOptions::sigma, "Gaussian kernel width > 0")
                   .own_reduction("a scalar over the batch")
                   .output("loss")
                   .run(cs_divergence_conditional));
}

}  // namespace lathe
