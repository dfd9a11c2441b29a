// clip_contrastive_loss: CLIP's symmetric image-text contrastive loss. img, txt [B, D] and the
// log-scale t (a 0-d tensor, the model's learnable logit_scale, init log(1/0.07)):
//   S = exp(t) normalize(img) normalize(txt)^T      [B, B]
//   L = (CE(S, arange) + CE(S^T, arange)) / 2, each with label smoothing eps:
//   CE_eps(row, i) = (1 - eps) (LSE(row) - row_i) + eps (LSE(row) - mean(row))
// Paper: "Improved baselines for vision-language pre-training" (facebookresearch/clip-rocket
// losses.py CLIPLoss, as the catalog quotes it); also 3D Scene Graph VLP, Vid2Robot, CompA,
// CLIPN. NOTE: exp(t) is used as given, with no clamp: the reference clamps the parameter
// after each optimizer step (exp(t) in [1, 100]); callers reproduce that in their step.
// Defaults: label_smoothing 0. Reduction 'mean' over pairs (the catalog's value); 'none' gives
// (row_i + col_i) / 2 per pair [B], 'sum' their sum.
// Gradients: autograd, t included (dL/dt = sum_ij dL/dS_ij S_ij).
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

namespace {
// Per-row cross-entropy of logits [B, B] against the diagonal, label smoothing eps.
Tensor diagonal_ce(const Tensor& s, double eps) {
  Tensor lse = logsumexp(s, {1});                                           // [B]
  Tensor l = lse - pairs::take_rows(s, arange(s.size(0), DType::i64, s.device()));
  if (eps > 0) l = (1.0 - eps) * l + eps * (lse - mean(s, {1}));
  return l;                                                                 // [B]
}
}  // namespace

Tensor clip_contrastive_loss(const Tensor& img, const Tensor& txt, const Tensor& logit_scale,
                             const ClipContrastiveLossOptions& o) {
  const char* op = "clip_contrastive_loss";
  pairs::check_embeddings(op, "img", img);
  pairs::check_embeddings(op, "txt", txt);
  check_same_shape(op, "img", img, "txt", txt);
  check_floating(op, "logit_scale", logit_scale);
  LATHE_CHECK(logit_scale.numel() == 1, "[", op, "] logit_scale must hold one value, got shape ",
              logit_scale.shape());
  LATHE_CHECK(o.label_smoothing >= 0 && o.label_smoothing <= 1, "[", op,
              "] label_smoothing must lie in [0, 1], got ", o.label_smoothing);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor scale = exp(reshape(logit_scale, {}));                                       // []
  Tensor s = scale * matmul(pairs::l2_normalize(img), pairs::l2_normalize(txt).t());  // [B, B]
  Tensor l = (diagonal_ce(s, o.label_smoothing) + diagonal_ce(s.t(), o.label_smoothing)) / 2.0;
  return apply_reduction(l, r);
}

LATHE_REGISTER_OPS(clip_contrastive_loss) {
  registry.add(OpDef("clip_contrastive_loss", "contrastive")
                   .summary("CLIP's symmetric contrastive loss with a learnable log-scale")
                   .paper("Improved baselines for vision-language pre-training; 3D Scene Graph "
                          "Guided Vision-Language Pre-training; Vid2Robot: End-to-end "
                          "Video-conditioned Policy Learning with Cross-Attention Transformers; "
                          "CompA: Addressing the Gap in Compositional Reasoning in Audio-Language "
                          "Models; CLIPN for Zero-Shot OOD Detection: Teaching CLIP to Say No")
                   .input("img")
                   .input("txt")
                   .input("logit_scale")
                   .options<ClipContrastiveLossOptions>()
                   .attr("label_smoothing", &ClipContrastiveLossOptions::label_smoothing,
                         "in [0, 1], both directions")
                   .attr("reduction", &ClipContrastiveLossOptions::reduction,
                         "none (per pair, directions averaged) | mean | sum")
                   .output("loss")
                   .run(clip_contrastive_loss));
}

}  // namespace lathe
