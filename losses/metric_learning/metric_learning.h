// The metric_learning family of the loss catalog (catalog: metric_learning.md) and the standard
// set of pytorch-metric-learning (PML) 2.x: one declaration block per loss, each defined in
// losses/metric_learning/<name>.cpp. Batch losses take (embeddings [B, D], labels [B] int, ...);
// their shared pieces (masks, GEMM distances, mining, the empty-set rule) are pairs.h.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

struct ContrastiveLossOptions {
  double pos_margin = 0.0;  // positive pairs cost relu(d - pos_margin)
  double neg_margin = 1.0;  // negative pairs cost relu(neg_margin - d)
};

// PML ContrastiveLoss: Euclidean distances of L2-normalized embeddings; the mean of the
// non-zero positive-pair losses plus the mean of the non-zero negative-pair losses.
// losses/metric_learning/contrastive_loss.cpp.
Tensor contrastive_loss(const Tensor& embeddings, const Tensor& labels,
                        const ContrastiveLossOptions& options = {});

struct BatchTripletLossOptions {
  double margin = 0.05;          // relu(d_ap - d_an + margin)
  std::string miner = "all";     // all | batch_hard | semihard
  double miner_margin = 0.2;     // semihard: keep 0 < d_an - d_ap <= miner_margin
  bool swap = false;             // d_an := min(d_an, d_pn)
};

// PML TripletMarginLoss on the triplets of a batch, optionally mined (BatchHardMiner,
// TripletMarginMiner(type_of_triplets='semihard')); mean over the non-zero triplet losses.
// losses/metric_learning/batch_triplet_loss.cpp.
Tensor batch_triplet_loss(const Tensor& embeddings, const Tensor& labels,
                          const BatchTripletLossOptions& options = {});

struct TripletMarginLossOptions {
  double margin = 1.0;             // >= 0
  double p = 2.0;                  // the norm's order, > 0
  double eps = 1e-6;               // >= 0, added to the difference inside the norm
  bool swap = false;               // d(a, n) := min(d(a, n), d(p, n))
  std::string reduction = "mean";  // none | mean | sum
};

// F.triplet_margin_loss of given triplets, anchor/positive/negative [N, D] (or one [D]).
// losses/metric_learning/triplet_margin_loss.cpp.
Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                           const TripletMarginLossOptions& options = {});

struct MultiSimilarityLossOptions {
  double alpha = 2.0;              // positive scale
  double beta = 40.0;              // negative scale
  double lam = 0.5;                // similarity threshold (PML: base)
  double margin = 0.1;             // mining margin epsilon ('official' only)
  std::string variant = "official";  // official (MS-loss code) | pml (MultiSimilarityLoss)
  std::string reduction = "mean";  // none | mean | sum over anchors (skipped anchors give 0)
};

// Multi-similarity loss. losses/metric_learning/multi_similarity_loss.cpp.
Tensor multi_similarity_loss(const Tensor& embeddings, const Tensor& labels,
                             const MultiSimilarityLossOptions& options = {});

struct CircleLossOptions {
  double m = 0.4;        // relaxation margin
  double gamma = 80.0;   // scale
};

// PML CircleLoss on cosine similarities. losses/metric_learning/circle_loss.cpp.
Tensor circle_loss(const Tensor& embeddings, const Tensor& labels,
                   const CircleLossOptions& options = {});

struct NpairsLossOptions {
  std::string reduction = "mean";  // none | mean | sum over the pairs
};

// PML NPairsLoss: one (anchor, positive) pair per label, cross-entropy of their cosine
// similarities. losses/metric_learning/npairs_loss.cpp.
Tensor npairs_loss(const Tensor& embeddings, const Tensor& labels,
                   const NpairsLossOptions& options = {});

struct ProxyNcaLossOptions {
  double softmax_scale = 1.0;
  std::string reduction = "mean";  // none | mean | sum over samples
};

// PML ProxyNCALoss against proxies [C, D]. losses/metric_learning/proxy_nca_loss.cpp.
Tensor proxy_nca_loss(const Tensor& embeddings, const Tensor& labels, const Tensor& proxies,
                      const ProxyNcaLossOptions& options = {});

struct ProxyAnchorLossOptions {
  double margin = 0.1;
  double alpha = 32.0;
};

// PML ProxyAnchorLoss against proxies [C, D]. losses/metric_learning/proxy_anchor_loss.cpp.
Tensor proxy_anchor_loss(const Tensor& embeddings, const Tensor& labels, const Tensor& proxies,
                         const ProxyAnchorLossOptions& options = {});

struct LiftedStructureLossOptions {
  double neg_margin = 1.0;
  double pos_margin = 0.0;
};

// PML LiftedStructureLoss. losses/metric_learning/lifted_structure_loss.cpp.
Tensor lifted_structure_loss(const Tensor& embeddings, const Tensor& labels,
                             const LiftedStructureLossOptions& options = {});

struct SoftTripleLossOptions {
  int64_t centers_per_class = 10;  // K
  double la = 20.0;                // lambda, the logits' scale
  double gamma = 0.1;              // softmax temperature over a class's centres
  double margin = 0.01;            // delta, subtracted from the target class
  std::string reduction = "mean";  // none | mean | sum over samples
};

// PML SoftTripleLoss against centres [C * K, D]. losses/metric_learning/soft_triple_loss.cpp.
Tensor soft_triple_loss(const Tensor& embeddings, const Tensor& labels, const Tensor& centers,
                        const SoftTripleLossOptions& options = {});

struct ArcfaceLossOptions {
  double margin = 28.6;            // additive angular margin, in degrees
  double scale = 64.0;
  std::string reduction = "mean";  // none | mean | sum over samples
};

// PML ArcFaceLoss against class weights [C, D]. losses/metric_learning/arcface_loss.cpp.
Tensor arcface_loss(const Tensor& embeddings, const Tensor& labels, const Tensor& weight,
                    const ArcfaceLossOptions& options = {});

struct ProtoTripletLossOptions {
  double margin = 0.5;
  std::string reduction = "mean";  // none | mean | sum over queries
};

// Prototype triplet loss of queries [Q, D] with labels [Q] against prototypes [W, D] with
// labels [W] (SuSana Distancia). losses/metric_learning/proto_triplet_loss.cpp.
Tensor proto_triplet_loss(const Tensor& query, const Tensor& query_labels, const Tensor& protos,
                          const Tensor& proto_labels, const ProtoTripletLossOptions& options = {});

struct DsmlSnrContrastiveLossOptions {
  double pos_margin = 0.0;
  double neg_margin = 1.0;
  double reg_weight = 0.0;          // lambda of mean_i |sum_m h_im|
  bool avg_non_zero_only = true;    // each hinge term averages its non-zero pairs only
};

// The SNR contrastive loss of embeddings [B, D] with labels [B] (snr distances).
// losses/metric_learning/dsml_snr_contrastive_loss.cpp.
Tensor dsml_snr_contrastive_loss(const Tensor& embeddings, const Tensor& labels,
                                 const DsmlSnrContrastiveLossOptions& options = {});

struct TcmLossOptions {
  double m_pos = 0.9;
  double m_neg = 0.5;
  double l_pos = 1.0;
  double l_neg = 1.0;
};

// Threshold-consistent margin loss of positive and negative pair similarities (1-D each).
// losses/metric_learning/tcm_loss.cpp.
Tensor tcm_loss(const Tensor& pos_sims, const Tensor& neg_sims, const TcmLossOptions& options = {});

struct AslNormRatioLossOptions {
  std::string reduction = "mean";  // none | mean | sum over anchors
};

// exp(1 - ||f_big|| / ||f_small||) of two views [B, D].
// losses/metric_learning/asl_norm_ratio_loss.cpp.
Tensor asl_norm_ratio_loss(const Tensor& f_big, const Tensor& f_small,
                           const AslNormRatioLossOptions& options = {});

struct BatchBalancedContrastiveLossOptions {
  double margin = 2.0;
  std::string reduction = "mean";  // mean (class-balanced) | sum | none (per-pixel map)
};

// Class-balanced contrastive loss of a distance map d and a change mask y in {0, 1, 255}.
// losses/metric_learning/batch_balanced_contrastive_loss.cpp.
Tensor batch_balanced_contrastive_loss(const Tensor& distance, const Tensor& target,
                                       const BatchBalancedContrastiveLossOptions& options = {});

struct BctInfluenceLossOptions {
  double alpha = 1.0;  // weight of the old classifier's cross-entropy
};

// CE(out, y) + alpha CE(feat W_old^T, y) with the old classifier W_old [C', D] frozen.
// losses/metric_learning/bct_influence_loss.cpp.
Tensor bct_influence_loss(const Tensor& out, const Tensor& feat, const Tensor& old_weight,
                          const Tensor& labels, const BctInfluenceLossOptions& options = {});

struct Bt2CosineAlignmentLossOptions {
  Tensor pseudo_out;  // [B, C] logits of the pseudo classifier, or undefined
};

// BT^2's cosine alignment to cached (detached) features plus cross-entropy terms.
// losses/metric_learning/bt2_cosine_alignment_loss.cpp.
Tensor bt2_cosine_alignment_loss(const Tensor& f_old, const Tensor& phi_old, const Tensor& f_new,
                                 const Tensor& phi_new, const Tensor& out, const Tensor& labels,
                                 const Bt2CosineAlignmentLossOptions& options = {});

struct StssdlPrototypeLossOptions {
  double lam_c = 0.1;    // weight of the prototype triplet term
  double lam_d = 1.0;    // weight of the deviation term
  double margin = 0.5;   // the triplet margin
};

// ST-SSDL's prototype losses of queries q_t, q_a [B, N, d] (no gradient) and prototypes
// P [M, d]. losses/metric_learning/stssdl_prototype_loss.cpp.
Tensor stssdl_prototype_loss(const Tensor& q_t, const Tensor& q_a, const Tensor& prototypes,
                             const StssdlPrototypeLossOptions& options = {});

}  // namespace lathe
