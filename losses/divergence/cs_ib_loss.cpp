// cs_ib_loss: the Cauchy-Schwarz divergence information bottleneck for regression
//   L = D_CS(p(y|x) || p(yhat|x)) + beta I_CS(x; z) / sqrt(I_CS(x; x) I_CS(z; z))
// (cs_divergence_conditional + beta cs_qmi normalized, log base 2, one sigma for every Gram) of
// inputs x [N, ...] (flattened per row), targets y [N, 1], predictions yhat [N, 1] and the
// bottleneck representation z [N, ...]. No MSE term (the reference trains on this alone).
// A scalar over the batch (the loss declares its own reduction).
// Paper: "Cauchy-Schwarz Divergence Information Bottleneck for Regression" (catalog:
// divergence.md, confidence 'official code': SJYuCNEL/Cauchy-Schwarz-Information-Bottleneck
// CS_IB_Housing.py).
// Defaults: beta 0.01 (the CLI default; the paper sweeps 0 .. 1), sigma 1.
// Gradient (autograd) w.r.t. yhat and z; x and y are data (no grad).
// Composite.
#include "losses/divergence/divergence.h"
#include "ops/composite.h"

namespace lathe {

Tensor cs_ib_loss(const Tensor& x, const Tensor& target, const Tensor& input, const Tensor& z,
                  const CsIbLossOptions& o) {
  const char* op = "cs_ib_loss";
  check_floating(op, "z", z);
  LATHE_CHECK(o.beta >= 0, "[", op, "] beta must be >= 0, got ", o.beta);
  LATHE_CHECK(o.sigma > 0, "[", op, "] sigma must be > 0, got ", o.sigma);
  LATHE_CHECK(z.dim() >= 1 && x.dim() >= 1 && z.shape()[0] == x.shape()[0], "[", op, "] z ",
              z.shape(), " must hold one row per sample of x ", x.shape());
  Tensor pred = cs_divergence_conditional(x, target, input, {o.sigma});
  if (o.beta == 0) return pred;
  return pred + o.beta * cs_qmi(x.detach(), z, {o.sigma, true});
}

LATHE_REGISTER_OPS(cs_ib_loss) {
  registry.add(OpDef("cs_ib_loss", "divergence")
                   .summary("CS information bottleneck: conditional CS divergence + beta "
                            "normalized CS-QMI")
                   .paper("Cauchy-Schwarz Divergence Information Bottleneck for Regression")
                   .input("x", Kind::floating, kNoGrad)
                   .input("target", Kind::floating, kNoGrad)
                   .input("input")
                   .input("z")
                   .options<CsIbLossOptions>()
                   .attr("beta", &CsIbLossOptions::beta, "weight of the compression term >= 0")
                   .attr("sigma", &CsIbLossOptions::sigma, "Gaussian kernel width > 0")
                   .own_reduction("a scalar over the batch")
                   .output("loss")
                   .run(cs_ib_loss));
}

}  // namespace lathe
