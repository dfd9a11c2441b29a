// The contrastive family's second slice (catalog: contrastive.md), defined in
// losses/contrastive/<name>.cpp. Reached through contrastive.h once merged.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

struct AmclLossOptions {
  double beta = 0.01;              // weight of the temperature regularizers
  int64_t topk = 100;              // hardest negatives kept (clipped to K), >= 1
  std::string reduction = "mean";  // none | mean | sum over anchors
};

// One head and direction of AMCL's adaptive-temperature NT-Xent: anchor [B, D], positive
// [B, D], negatives [B, K, D], pair temperatures tau_pos [B] and tau_neg [B, K] (> 0, from the
// caller's temperature head). losses/contrastive/amcl_loss.cpp.
Tensor amcl_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negatives,
                 const Tensor& tau_pos, const Tensor& tau_neg, const AmclLossOptions& options = {});

}  // namespace lathe

namespace lathe {

struct NsptContrastiveLossOptions {
  double tau = 0.1;                // temperature, > 0
  std::string reduction = "mean";  // none | mean | sum over anchors
};

// COCONUT's negative-student positive-teacher contrastive loss on rehearsal samples: student
// features zs [B, D], old-model features zt [B, D] (detached here), labels [B].
// losses/contrastive/nspt_contrastive_loss.cpp.
Tensor nspt_contrastive_loss(const Tensor& zs, const Tensor& zt, const Tensor& labels,
                             const NsptContrastiveLossOptions& options = {});

struct MmSupconLossOptions {
  double tau = 0.1;                // temperature, > 0
  std::string reduction = "mean";  // none | mean | sum over anchors
};

// COCONUT's multi-modal supervised contrastive term: audio anchors za [B, D] against the text
// features zt [B, D] of the same batch, positives of the same label [B].
// losses/contrastive/mm_supcon_loss.cpp.
Tensor mm_supcon_loss(const Tensor& za, const Tensor& zt, const Tensor& labels,
                      const MmSupconLossOptions& options = {});

}  // namespace lathe

namespace lathe {

struct IsogclrLossOptions {
  double rho = 6.0;       // the DRO radius
  double gamma = 0.8;     // moving-average rate of s_bar
  double beta_u = 0.9;    // moving-average rate of the temperature gradient u
  double eta = 1e-3;      // the temperatures' learning rate
  double tau_min = 0.05;  // temperature bounds
  double tau_max = 1.0;
  bool first = false;     // first epoch: s_bar = this batch's estimate
  std::string reduction = "mean";  // none | mean | sum over the 2B anchors (both views)
};

// iSogCLR's state after a step: the dataset-wide s_bar [N, 2], tau [N] and u [N].
struct IsogclrResult {
  Tensor loss, s_bar, tau, u;
};

// iSogCLR's surrogate loss of two views z1, z2 [B, D] of the dataset rows `index` [B], with
// the state s_bar [N, 2], tau [N], u [N] in and (new tensors) out.
// losses/contrastive/isogclr_loss.cpp.
IsogclrResult isogclr_loss(const Tensor& z1, const Tensor& z2, const Tensor& index,
                           const Tensor& s_bar, const Tensor& tau, const Tensor& u,
                           const IsogclrLossOptions& options = {});

}  // namespace lathe

namespace lathe {

struct GlocalAlignmentLossOptions {
  std::string variant = "cos";  // cos (contras_2) | infonce (contras_1)
  Tensor p_ori;                 // [B, T, D] projected complete-data latents (infonce only)
};

// Glocal-IB's alignment of projected observed-data latents p_obs [B, T, D] with the complete
// data's latents z_ori [B, T, D] (detached here). losses/contrastive/glocal_alignment_loss.cpp.
Tensor glocal_alignment_loss(const Tensor& p_obs, const Tensor& z_ori,
                             const GlocalAlignmentLossOptions& options = {});

}  // namespace lathe

namespace lathe {

struct PamcMetaNodeContrastiveOptions {
  double tau = 1.0;  // multiplies the cosines
};

// PamC's meta-node contrastive loss of node embeddings z [N, d], positive weights adj [N, N]
// and soft cluster assignments q [N, K] (only their argmax is used).
// losses/contrastive/pamc_meta_node_contrastive.cpp.
Tensor pamc_meta_node_contrastive(const Tensor& z, const Tensor& adj, const Tensor& q,
                                  const PamcMetaNodeContrastiveOptions& options = {});

}  // namespace lathe

namespace lathe {

struct UvosConsistencyLossOptions {
  double pos_thresh = 0.9;  // positives are pulled above this cosine
  double neg_thresh = 0.1;  // negatives are pushed below this cosine
};

// The semantic-consistency term of self-supervised UVOS ("Betrayed by Attention"): query slot
// features s_q [Q, D] (detached here), their positives s_pos [Q, P, D] and negatives
// s_neg [Q, N, D]. losses/contrastive/uvos_consistency_loss.cpp.
Tensor uvos_consistency_loss(const Tensor& s_q, const Tensor& s_pos, const Tensor& s_neg,
                             const UvosConsistencyLossOptions& options = {});

}  // namespace lathe
