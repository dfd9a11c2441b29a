// glocal_alignment_loss: Glocal-IB's global alignment term between the projected latents of
// the masked series, p_obs = proj(z_obs) [B, T, D], and the complete series' latents (the
// encoder run with an all-ones mask), detached:
//   cos (contras_2):     L = 1 - mean_{b, d} cos_T(p_obs[b, :, d], sg(z_ori)[b, :, d])
//   infonce (contras_1): a = normalize_D(p_obs), c = sg(normalize_D(p_ori)), S_b = a_b c_b^T
//                        [T, T], L = CE over dim 1 of S (for each complete step j, a softmax
//                        over the observed steps i, target i = j), mean over B T.
// Paper: "Glocal Information Bottleneck for Time Series Imputation"; the authors' code
// (contras_1 / contras_2), as the catalog quotes it. Quirks kept: the cosine runs over the
// time axis (eps 1e-8), the cos target is the unprojected z_ori, and the cross-entropy's class
// axis is dim 1. Total loss: mse_weight (ORT + MIT) + align_weight L (the caller's).
// Defaults: variant cos. Reduction: the means as written (a scalar).
// Gradients: autograd, through p_obs only.
#include <string>

#include "losses/contrastive/contrastive_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor glocal_alignment_loss(const Tensor& p_obs, const Tensor& z_ori,
                             const GlocalAlignmentLossOptions& o) {
  const char* op = "glocal_alignment_loss";
  pairs::check_embeddings(op, "p_obs", p_obs, 3);
  LATHE_CHECK(o.variant == "cos" || o.variant == "infonce", "[", op,
              "] variant must be cos or infonce, got '", o.variant, "'");
  if (o.variant == "cos") {
    check_shape(op, "z_ori", z_ori, p_obs.shape());
    check_floating(op, "z_ori", z_ori);
    return 1.0 - mean(cosine_similarity(p_obs, z_ori.detach(), 1, 1e-8));   // over [B, D]
  }
  LATHE_CHECK(o.p_ori.defined(), "[", op, "] the infonce variant needs p_ori");
  check_shape(op, "p_ori", o.p_ori, p_obs.shape());
  check_floating(op, "p_ori", o.p_ori);
  const int64_t b = p_obs.size(0), t = p_obs.size(1);
  Tensor a = normalize(p_obs, 2.0, 2);                                       // [B, T, D]
  Tensor c = normalize(o.p_ori.detach(), 2.0, 2);                            // [B, T, D]
  Tensor logp = log_softmax(matmul(a, c.transpose(1, 2)), 1);                // [B, T(i), T(j)]
  Tensor diag = diagonal(logp, 0, 1, 2);                                     // [B, T]
  return -sum(diag) / static_cast<double>(b * t);
}

LATHE_REGISTER_OPS(glocal_alignment_loss) {
  using O = GlocalAlignmentLossOptions;
  registry.add(OpDef("glocal_alignment_loss", "contrastive")
                   .summary("Glocal-IB: align observed-data latents with the complete data's "
                            "(time-axis cosine or InfoNCE)")
                   .paper("Glocal Information Bottleneck for Time Series Imputation")
                   .input("p_obs")
                   .input("z_ori", Kind::floating, kNoGrad)
                   .options<O>()
                   .input("p_ori", &O::p_ori, Kind::floating, kOptional | kNoGrad)
                   .attr("variant", &O::variant, "cos | infonce")
                   .output("loss")
                   .own_reduction("means as written: over B x D (cos) or B x T (infonce)")
                   .run(glocal_alignment_loss));
}

}  // namespace lathe
