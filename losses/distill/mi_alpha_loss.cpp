// mi_alpha_loss: the interpolated mutual-information lower bound I_alpha of Distiller's
// intermediate-layer objective, critic scores S [K, K] (S_ij = g_s(h_s,i) . g_t(h_t,j),
// student i against teacher j) and a learned log-baseline a [K] (from the teacher state):
//   n_ij = log((1 / (K - 1)) sum_{k != j} e^{S_ik})           (leave-one-out log-mean-exp),
//   B_ij = log(alpha e^{n_ij} + (1 - alpha) e^{a_i}),
//   J = mean_{i != j} (S_ii - B_ij),  M = mean_{i != j} exp(S_ij - B_ii),
//   I_alpha = 1 + J - M,  L = -I_alpha.
// alpha = 0 is the TUBA/NWJ bound with baseline a, alpha = 1 the leave-one-out InfoNCE one.
// Paper: "Distiller: A Systematic Study of Model Distillation Methods in Natural Language
// Processing" (He et al., 2021), the bound of Poole et al., "On Variational Bounds of Mutual
// Information"; code Cli212/Distiller src/Distiller/textbrewer/losses.py (mi_loss,
// interpolated_lower_bound, compute_log_loomean, log_interpolate) (catalog: distillation.md).
// Defaults: alpha 0.5. The critics and the baseline network are the caller's layers; both
// inputs are differentiable (no teacher tensor reaches the op on its own).
// Everything stays in log space until M's exp; the ends alpha = 0, 1 drop the other branch
// (log 0). Reduction: one scalar over the K x K matrix. K = 1 is rejected. Composite.
#include <cmath>
#include <limits>

#include "losses/distill/common.h"
#include "losses/distill/other.h"

namespace lathe {

Tensor mi_alpha_loss(const Tensor& scores, const Tensor& log_baseline, const MiAlphaOptions& o) {
  const char* op = "mi_alpha_loss";
  check_floating(op, "scores", scores);
  check_floating(op, "log_baseline", log_baseline);
  LATHE_CHECK(scores.dim() == 2 && scores.shape()[0] == scores.shape()[1] &&
                  scores.shape()[0] >= 2,
              "[", op, "] scores must be [K, K] with K >= 2, got ", scores.shape());
  int64_t k = scores.shape()[0];
  check_shape(op, "log_baseline", log_baseline, {k});
  LATHE_CHECK(o.alpha >= 0 && o.alpha <= 1, "[", op, "] alpha must lie in [0, 1], got ",
              o.alpha);
  Tensor ids = arange(k, DType::i64, scores.device());
  Tensor eye = eq(unsqueeze(ids, 1), unsqueeze(ids, 0));                  // [K, K] bool
  Tensor off = cast(logical_not(eye), scores.dtype());                    // [K, K]
  double pairs = double(k * (k - 1));
  Tensor a = unsqueeze(log_baseline, 1);                                  // [K, 1]
  Tensor b;                                                               // [K, K]
  if (o.alpha == 0.0) {
    b = a + zeros_like(scores);
  } else {
    // [K, K, K]: row i, left-out j, summed k; k = j masked out
    Tensor rows = where(unsqueeze(eye, 0), -std::numeric_limits<double>::infinity(),
                        unsqueeze(scores, 1));
    Tensor loo = logsumexp(rows, {2}) - std::log(double(k - 1));          // [K, K]
    if (o.alpha == 1.0) {
      b = loo + a * 0.0;  // a's weight log(1 - alpha) is -inf: a defined zero gradient
    } else {
      b = logsumexp(stack({loo + std::log(o.alpha),
                           a + zeros_like(scores) + std::log(1.0 - o.alpha)}, 0), {0});
    }
  }
  Tensor diag_s = sum(scores * cast(eye, scores.dtype()), {1}, true);     // [K, 1] S_ii
  Tensor diag_b = sum(b * cast(eye, scores.dtype()), {1}, true);          // [K, 1] B_ii
  Tensor joint = sum((diag_s - b) * off) / pairs;
  Tensor marg = sum(exp(scores - diag_b) * off) / pairs;
  return -(1.0 + joint - marg);
}

LATHE_REGISTER_OPS(mi_alpha_loss) {
  registry.add(OpDef("mi_alpha_loss", "distillation")
                   .summary("-I_alpha, the interpolated (NWJ to InfoNCE) MI lower bound of "
                            "critic scores with a learned log-baseline")
                   .paper("Distiller: A Systematic Study of Model Distillation Methods in "
                          "Natural Language Processing")
                   .input("scores")
                   .input("log_baseline")
                   .options<MiAlphaOptions>()
                   .attr("alpha", &MiAlphaOptions::alpha,
                         "interpolation in [0, 1]: 0 NWJ/TUBA, 1 leave-one-out InfoNCE")
                   .output("loss")
                   .own_reduction("batch-level: one bound over the K x K score matrix")
                   .run(mi_alpha_loss));
}

}  // namespace lathe
