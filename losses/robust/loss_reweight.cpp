// loss_reweight: dynamic loss-based sample reweighting for LM pretraining. Per-sample losses
// l [n] over the global batch (LM: the token-mean cross-entropy of each sequence); without
// gradient:
//   l^ = 2 delta l / (lmax - lmin) - delta (lmax + lmin) / (lmax - lmin)   (l^ in [-delta, delta];
//        the denominator clamped to >= 1e-6),
//   g = min(l^ + delta, delta)  'linupper' (down-weights low-loss samples),
//       1 - l^2 / delta^2       'quadratic' (down-weights both extremes),
//       |l^|                    'extremes'  (up-weights both extremes),
//   w = softmax(g / r),
// and L = sum_i w_i l_i with w detached. A weighted sum: the loss declares its own reduction.
// Paper: "Dynamic Loss-Based Sample Reweighting for Improved Large Language Model Pretraining"
// (catalog: robust.md, confidence 'code (port)': the official README, the formula from a port
// reproducing the reference code, DataFlex's LossWeighter). Under data parallelism the port
// multiplies the local sum by the world size; here the caller passes the global batch.
// Defaults: strategy 'linupper', delta 1, r 1.
// Defined backward (a stop-gradient of input-dependent weights): dL/dl_i = w_i, not the total
// derivative; tested against PyTorch's autograd of the same detached form, not finite
// differences.
// Composite.
#include "losses/robust/robust.h"
#include "ops/composite.h"

namespace lathe {

Tensor loss_reweight(const Tensor& losses, const LossReweightOptions& o) {
  const char* op = "loss_reweight";
  check_floating(op, "losses", losses);
  check_dim(op, "losses", losses, 1);
  LATHE_CHECK(losses.numel() > 0, "[", op, "] losses must hold one loss per sample, got none");
  LATHE_CHECK(o.strategy == "linupper" || o.strategy == "quadratic" || o.strategy == "extremes",
              "[", op, "] strategy must be linupper, quadratic or extremes, got '", o.strategy,
              "'");
  LATHE_CHECK(o.delta > 0, "[", op, "] delta must be > 0, got ", o.delta);
  LATHE_CHECK(o.r > 0, "[", op, "] r must be > 0, got ", o.r);
  Tensor l = losses.detach();                                          // [n]
  Tensor lmin = min(l), lmax = max(l);                                 // []
  Tensor den = maximum(lmax - lmin, 1e-6);                             // []
  Tensor lh = 2.0 * o.delta * l / den - o.delta * (lmax + lmin) / den; // [n]
  Tensor g;
  if (o.strategy == "linupper") g = minimum(lh + o.delta, o.delta);
  else if (o.strategy == "quadratic") g = 1.0 - lh * lh / (o.delta * o.delta);
  else g = abs(lh);
  Tensor w = softmax(g / o.r, 0);                                      // [n], a constant
  return sum(w * losses);
}

LATHE_REGISTER_OPS(loss_reweight) {
  registry.add(OpDef("loss_reweight", "robust")
                   .summary("loss-based sample reweighting sum_i softmax(g(l^)/r)_i l_i")
                   .paper("Dynamic Loss-Based Sample Reweighting for Improved Large Language "
                          "Model Pretraining")
                   .input("losses")
                   .options<LossReweightOptions>()
                   .attr("strategy", &LossReweightOptions::strategy,
                         "linupper | quadratic | extremes")
                   .attr("delta", &LossReweightOptions::delta, "half range of the normalized "
                         "losses, > 0")
                   .attr("r", &LossReweightOptions::r, "softmax temperature > 0")
                   .custom_backward("the weights are detached: dL/dl = w, not the total "
                                    "derivative")
                   .own_reduction("a weighted sum over the batch (softmax weights)")
                   .output("loss")
                   .run(loss_reweight));
}

}  // namespace lathe
