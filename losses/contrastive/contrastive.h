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

}  // namespace lathe
