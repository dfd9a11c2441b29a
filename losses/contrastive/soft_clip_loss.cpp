// soft_clip_loss: M3CoL's soft CLIP loss. Predictions p and targets t [B, D], L2-normalized:
//   T = softmax_row(t t^T / tau)   (soft targets, not detached, as the reference)
//   Z = p t^T / tau
//   L = (-mean_i sum_j T_ij log_softmax(Z_i)_j - mean_i sum_j T_ij log_softmax(Z^T_i)_j) / 2
// Paper: "Harnessing Shared Relations via Multimodal Mixup Contrastive Learning for Multimodal
// Classification" (M3CoL); code RaghavSinghal10/M3CoL model/utils.py soft_clip_loss, as the
// catalog quotes it. Defaults: tau 0.125. Reduction 'mean'; 'none' gives the two directions'
// average per row [B].
// Gradients: autograd, through p and t (in Z and in T).
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor soft_clip_loss(const Tensor& p, const Tensor& t, const SoftClipLossOptions& o) {
  const char* op = "soft_clip_loss";
  pairs::check_embeddings(op, "p", p);
  pairs::check_embeddings(op, "t", t);
  check_same_shape(op, "p", p, "t", t);
  pairs::check_positive(op, "tau", o.tau);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor pn = pairs::l2_normalize(p), tn = pairs::l2_normalize(t);   // [B, D]
  Tensor target = softmax(matmul(tn, tn.t()) / o.tau, 1);            // [B, B]
  Tensor z = matmul(pn, tn.t()) / o.tau;                             // [B, B]
  Tensor a = -sum(target * log_softmax(z, 1), {1});                  // [B]
  Tensor b = -sum(target * log_softmax(z.t(), 1), {1});              // [B]
  return apply_reduction((a + b) / 2.0, r);
}

LATHE_REGISTER_OPS(soft_clip_loss) {
  registry.add(OpDef("soft_clip_loss", "contrastive")
                   .summary("CLIP loss against soft targets softmax(t t^T / tau) (M3CoL)")
                   .paper("Harnessing Shared Relations via Multimodal Mixup Contrastive Learning "
                          "for Multimodal Classification")
                   .input("p")
                   .input("t")
                   .options<SoftClipLossOptions>()
                   .attr("tau", &SoftClipLossOptions::tau, "temperature, > 0")
                   .attr("reduction", &SoftClipLossOptions::reduction,
                         "none (per row, directions averaged) | mean | sum")
                   .output("loss")
                   .run(soft_clip_loss));
}

}  // namespace lathe
