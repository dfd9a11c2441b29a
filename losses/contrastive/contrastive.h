// The contrastive family of the loss catalog (catalog: contrastive.md): one declaration block
// per loss, each defined in losses/contrastive/<name>.cpp. They share the batch kit of the
// embedding losses, losses/metric_learning/pairs.h.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

struct InbatchInfonceLossOptions {
  double tau = 0.07;               // temperature, > 0
  bool symmetric = false;          // also CE(S^T, arange), averaged with CE(S, arange)
  std::string reduction = "mean";  // none (per row, directions averaged) | mean | sum
};

// In-batch InfoNCE of aligned views z1, z2 [B, D]: CE(normalize(z1) normalize(z2)^T / tau,
// arange(B)). losses/contrastive/inbatch_infonce_loss.cpp.
Tensor inbatch_infonce_loss(const Tensor& z1, const Tensor& z2,
                            const InbatchInfonceLossOptions& options = {});

struct InfoNceLossOptions {
  Tensor negatives;                     // [M, D] (unpaired) or [N, M, D] (paired), or undefined
  double tau = 0.07;                    // temperature, > 0
  std::string negative_mode = "unpaired";  // unpaired | paired
  std::string reduction = "mean";       // none | mean | sum over queries
};

// InfoNCE of queries [N, D] against positive keys [N, D] and optional negatives (JOTR's
// info_nce). losses/contrastive/info_nce_loss.cpp.
Tensor info_nce_loss(const Tensor& query, const Tensor& positive_key,
                     const InfoNceLossOptions& options = {});

struct NtXentLossOptions {
  double tau = 0.5;                // temperature, > 0
  double base_temperature = 0.0;   // > 0: multiply by tau / base_temperature; 0: no rescaling
  std::string reduction = "mean";  // none ([2B] anchors) | mean | sum
};

// SimCLR's NT-Xent of two views z1, z2 [B, D]. losses/contrastive/nt_xent_loss.cpp.
Tensor nt_xent_loss(const Tensor& z1, const Tensor& z2, const NtXentLossOptions& options = {});

struct ClipContrastiveLossOptions {
  double label_smoothing = 0.0;
  std::string reduction = "mean";  // none (per pair, directions averaged) | mean | sum
  int64_t tile = 0;  // > 0: the B x B logits in tile x tile blocks, O(B tile) memory (Inf-CL)
};

// CLIP's symmetric contrastive loss of img, txt [B, D] with the log-scale t (0-d tensor):
// S = exp(t) normalize(img) normalize(txt)^T. losses/contrastive/clip_contrastive_loss.cpp.
Tensor clip_contrastive_loss(const Tensor& img, const Tensor& txt, const Tensor& logit_scale,
                             const ClipContrastiveLossOptions& options = {});

struct SupconLossOptions {
  double tau = 0.07;                     // temperature, > 0
  double base_tau = 0.07;                // the loss is scaled by tau / base_tau
  std::string no_positive = "exclude";   // exclude (PML) | zero (SupContrast)
  int64_t tile = 0;  // > 0: anchors in row tiles of this many, O(B V tile) memory; 0: untiled
};

// Supervised contrastive loss of features [B, V, D] with labels [B].
// losses/contrastive/supcon_loss.cpp.
Tensor supcon_loss(const Tensor& features, const Tensor& labels,
                   const SupconLossOptions& options = {});

struct HardContrastiveLossOptions {
  double tau = 0.2;                // temperature, > 0
  int64_t k = 0;                   // hardest negatives kept per anchor; 0: all (InfoNCE)
  std::string reduction = "mean";  // none | mean | sum over anchors
};

// InfoNCE whose denominator keeps only each anchor's k most similar negatives.
// losses/contrastive/hard_contrastive_loss.cpp.
Tensor hard_contrastive_loss(const Tensor& z1, const Tensor& z2,
                             const HardContrastiveLossOptions& options = {});

struct SimpleContrastiveLossOptions {
  double lam = 1.0;                // weight of the negatives' similarity
  std::string reduction = "mean";  // none | mean | sum over anchors
};

// Temperature-free -s_ii + lam sum_{k != i} s_ik on cross-view cosines.
// losses/contrastive/simple_contrastive_loss.cpp.
Tensor simple_contrastive_loss(const Tensor& z1, const Tensor& z2,
                               const SimpleContrastiveLossOptions& options = {});

struct UniformityLossOptions {
  double t = 2.0;          // > 0
  bool normalize = true;   // L2-normalize the rows first
};

// log mean_{i<j} exp(-t ||z_i - z_j||^2) (Wang & Isola). losses/contrastive/uniformity_loss.cpp.
Tensor uniformity_loss(const Tensor& z, const UniformityLossOptions& options = {});

struct DecoupledSoftmaxLossOptions {
  Tensor weights;  // [B, L] label weights of the positives, or undefined (1)
};

// DEXML's decoupled softmax of logits [B, L] (already / tau) and a positive mask [B, L] (bool).
// losses/contrastive/decoupled_softmax_loss.cpp.
Tensor decoupled_softmax_loss(const Tensor& logits, const Tensor& positive_mask,
                              const DecoupledSoftmaxLossOptions& options = {});

struct SdmLossOptions {
  double scale = 2.0;    // s
  double eps = 1e-8;     // inside log(Q + eps)
};

// Similarity distribution matching of v, t [B, D] with labels [B] (ITCFN).
// losses/contrastive/sdm_loss.cpp.
Tensor sdm_loss(const Tensor& v, const Tensor& t, const Tensor& labels,
                const SdmLossOptions& options = {});

struct TacoBilinearInfonceOptions {
  std::string reduction = "mean";  // none | mean | sum over rows
};

// TACO's bilinear InfoNCE: CE(g W z+^T, arange) with z+ [B, d] a constant.
// losses/contrastive/taco_bilinear_infonce.cpp.
Tensor taco_bilinear_infonce(const Tensor& g, const Tensor& w, const Tensor& z_pos,
                             const TacoBilinearInfonceOptions& options = {});

struct MixcoNceLossOptions {
  double tau = 0.1;                // temperature, > 0
  std::string reduction = "mean";  // none (per index, directions averaged) | mean | sum
};

// MixCo's soft-target InfoNCE of mixed m and f [B, D] with mixing weights beta [B] and the
// permutation perm [B]. losses/contrastive/mixco_nce_loss.cpp.
Tensor mixco_nce_loss(const Tensor& m, const Tensor& f, const Tensor& beta, const Tensor& perm,
                      const MixcoNceLossOptions& options = {});

struct SoftClipLossOptions {
  double tau = 0.125;              // temperature, > 0
  std::string reduction = "mean";  // none (per row, directions averaged) | mean | sum
};

// M3CoL's soft CLIP loss of predictions p and targets t [B, D].
// losses/contrastive/soft_clip_loss.cpp.
Tensor soft_clip_loss(const Tensor& p, const Tensor& t, const SoftClipLossOptions& options = {});

struct BarlipLossOptions {
  double lam = 5e-3;     // weight of the off-diagonal terms
  double scale = 0.025;  // overall scale
};

// BarLIP's Barlow-Twins term of batch-standardized z1, z2 [N, D].
// losses/contrastive/barlip_loss.cpp.
Tensor barlip_loss(const Tensor& z1, const Tensor& z2, const BarlipLossOptions& options = {});

struct SiamlipLossOptions {
  std::string reduction = "mean";  // none | mean | sum over rows of 2 - 2 cos
};

// SiamLIP's 2 - 2 cos(p, sg(v)) of predictions p and targets v [B, D].
// losses/contrastive/siamlip_loss.cpp.
Tensor siamlip_loss(const Tensor& p, const Tensor& v, const SiamlipLossOptions& options = {});

struct SigregLossOptions {
  int64_t knots = 17;   // trapezoid knots on [0, t_max]
  double t_max = 3.0;
};

// LeJEPA's SIGReg (Epps-Pulley statistic over random slices) of proj [V, N, K] and unit
// directions A [K, M]. losses/contrastive/sigreg_loss.cpp.
Tensor sigreg_loss(const Tensor& proj, const Tensor& directions,
                   const SigregLossOptions& options = {});

struct LejepaLossOptions {
  double lam = 0.02;    // weight of SIGReg (1 - lam: the invariance term)
  int64_t knots = 17;
  double t_max = 3.0;
};

// LeJEPA: lam SIGReg(proj) + (1 - lam) mean((mean_v proj - proj)^2).
// losses/contrastive/lejepa_loss.cpp.
Tensor lejepa_loss(const Tensor& proj, const Tensor& directions,
                   const LejepaLossOptions& options = {});

struct ClipnBinaryOppositeLossOptions {
  double scale = 100.0;  // the logit scale s
};

// CLIPN's image-text binary-opposite loss of images [B, D], "yes" and "no" prompt texts [B, D].
// losses/contrastive/clipn_binary_opposite_loss.cpp.
Tensor clipn_binary_opposite_loss(const Tensor& image, const Tensor& text_yes,
                                  const Tensor& text_no,
                                  const ClipnBinaryOppositeLossOptions& options = {});

struct ClipnTextSemanticOppositeLossOptions {
  std::string mode = "L2";         // L2 | cosine
  std::string reduction = "mean";  // none | mean | sum over prompt pairs
};

// CLIPN's text semantic-opposite loss of paired "yes" / "no" prompt features [B, D].
// losses/contrastive/clipn_text_semantic_opposite_loss.cpp.
Tensor clipn_text_semantic_opposite_loss(const Tensor& text_yes, const Tensor& text_no,
                                         const ClipnTextSemanticOppositeLossOptions& options = {});

struct CompaContrastiveLossOptions {
  double scale = 10.0;             // the logit scale s
  int64_t n_neg = 3;               // hard negative captions per audio
  std::string reduction = "mean";  // none (per audio, directions averaged) | mean | sum
};

// CompA's contrastive loss of audios [B, D] and captions [B (1 + n_neg), D] in groups
// [positive, its hard negatives]. losses/contrastive/compa_contrastive_loss.cpp.
Tensor compa_contrastive_loss(const Tensor& audio, const Tensor& text,
                              const CompaContrastiveLossOptions& options = {});

struct SwalipLossOptions {
  double h_scale = 10.0;  // the local logit scale
  double eps = 0.05;      // Sinkhorn-Knopp temperature
  int64_t iters = 3;      // Sinkhorn-Knopp iterations
};

// SwALIP's swapped-prediction loss of two views of image and text embeddings, stacked
// [2, B, D] each. losses/contrastive/swalip_loss.cpp.
Tensor swalip_loss(const Tensor& h_img, const Tensor& h_txt, const SwalipLossOptions& options = {});

}  // namespace lathe
