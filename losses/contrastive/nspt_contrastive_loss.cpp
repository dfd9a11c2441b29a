// nspt_contrastive_loss: COCONUT's Negative-Student Positive-Teacher loss. On the rehearsal
// samples, anchor = the student feature, positives = the old model's (teacher, detached)
// features of the same label (itself included), negatives = the student features of other
// labels; all rows L2-normalized:
//   l_i = -(1/|P(i)|) sum_{p in P(i)} log(e^{zs_i.zt_p/tau} / (e^{zs_i.zt_p/tau}
//                                         + sum_{n in N(i)} e^{zs_i.zs_n/tau}))
// computed as -softplus(lse_N(i) - zs_i.zt_p/tau); no negative (a single label) gives 0.
// Paper: "Continual Contrastive Spoken Language Understanding" (Cappellazzo et al., 2023).
// NOTE: confidence 'memory'. A search found only the abstract and summaries ("a modified
// supervised contrastive loss applied only to the rehearsal samples", teacher features as
// positives); the anchor/positive/negative assignment, the denominator and tau are the
// catalog's; no public code was found.
// Defaults: tau 0.1 (the catalog's example). Reduction: mean over anchors (each has itself as
// a positive). Gradients: autograd, into zs only.
#include "losses/contrastive/contrastive_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor nspt_contrastive_loss(const Tensor& zs, const Tensor& zt, const Tensor& labels,
                             const NsptContrastiveLossOptions& o) {
  const char* op = "nspt_contrastive_loss";
  pairs::check_embeddings(op, "zs", zs);
  check_shape(op, "zt", zt, zs.shape());
  check_floating(op, "zt", zt);
  pairs::check_labels(op, "labels", labels, zs.size(0));
  pairs::check_positive(op, "tau", o.tau);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor s = pairs::l2_normalize(zs), t = pairs::l2_normalize(zt.detach());   // [B, D]
  Tensor pos = matmul(s, t.t()) / o.tau;                                      // [B, B]
  Tensor neg = matmul(s, s.t()) / o.tau;                                      // [B, B]
  Tensor same = pairs::same_label(labels, labels);                            // [B, B]
  Tensor other = logical_not(same);
  Tensor lse = pairs::masked_logsumexp(neg, other, 1, false);                 // [B, 1]
  Tensor any = gt(pairs::count(other, 1, s.dtype()), 0.0);                    // [B, 1]
  Tensor logp = where(any, -softplus(lse - pos), 0.0);                        // [B, B]
  Tensor l = -sum(where(same, logp, 0.0), {1}) / sum(cast(same, s.dtype()), {1});  // [B]
  return apply_reduction(l, r);
}

LATHE_REGISTER_OPS(nspt_contrastive_loss) {
  using O = NsptContrastiveLossOptions;
  registry.add(OpDef("nspt_contrastive_loss", "contrastive")
                   .summary("COCONUT NSPT: teacher positives, student negatives")
                   .paper("Continual Contrastive Spoken Language Understanding")
                   .input("zs")
                   .input("zt", Kind::floating, kNoGrad)
                   .input("labels", Kind::integer)
                   .options<O>()
                   .attr("tau", &O::tau, "temperature, > 0")
                   .attr("reduction", &O::reduction, "none | mean | sum")
                   .output("loss")
                   .run(nspt_contrastive_loss));
}

}  // namespace lathe
