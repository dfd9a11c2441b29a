// mm_supcon_loss: COCONUT's multi-modal supervised contrastive term. Audio anchors za against
// the text features zt of the same batch (rows L2-normalized), positives = the same label:
//   S = za^ zt^T / tau,   l_i = -(1/|P(i)|) sum_{p: y_p = y_i} (S_ip - log sum_j e^{S_ij})
// P(i) holds i itself (the paired text), so no anchor lacks a positive.
// Paper: "Continual Contrastive Spoken Language Understanding" (Cappellazzo et al., 2023).
// NOTE: confidence 'memory'. Only the abstract could be read ("a multimodal contrastive loss
// ... aligning audio and text features"); supervised (same-intent) positives, the single
// audio -> text direction and tau are the catalog's; no public code was found. Call it twice
// with the arguments swapped for both directions.
// Defaults: tau 0.1. Reduction: mean over anchors. Gradients: autograd.
#include "losses/contrastive/contrastive_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor mm_supcon_loss(const Tensor& za, const Tensor& zt, const Tensor& labels,
                      const MmSupconLossOptions& o) {
  const char* op = "mm_supcon_loss";
  pairs::check_embeddings(op, "za", za);
  check_shape(op, "zt", zt, za.shape());
  check_floating(op, "zt", zt);
  pairs::check_labels(op, "labels", labels, za.size(0));
  pairs::check_positive(op, "tau", o.tau);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor s = matmul(pairs::l2_normalize(za), pairs::l2_normalize(zt).t()) / o.tau;  // [B, B]
  Tensor logp = s - logsumexp(s, {1}, true);                                       // [B, B]
  Tensor same = pairs::same_label(labels, labels);                                 // [B, B]
  Tensor l = -sum(where(same, logp, 0.0), {1}) / sum(cast(same, s.dtype()), {1});  // [B]
  return apply_reduction(l, r);
}

LATHE_REGISTER_OPS(mm_supcon_loss) {
  using O = MmSupconLossOptions;
  registry.add(OpDef("mm_supcon_loss", "contrastive")
                   .summary("COCONUT's audio-to-text supervised contrastive term")
                   .paper("Continual Contrastive Spoken Language Understanding")
                   .input("za")
                   .input("zt")
                   .input("labels", Kind::integer)
                   .options<O>()
                   .attr("tau", &O::tau, "temperature, > 0")
                   .attr("reduction", &O::reduction, "none | mean | sum")
                   .output("loss")
                   .run(mm_supcon_loss));
}

}  // namespace lathe
