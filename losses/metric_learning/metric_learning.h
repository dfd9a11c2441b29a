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
  double margin = 1.0;
  double p = 2.0;                  // the norm's order, > 0
  double eps = 1e-6;               // added to the difference inside the norm
  bool swap = false;               // d(a, n) := min(d(a, n), d(p, n))
  std::string reduction = "mean";  // none | mean | sum
};

// F.triplet_margin_loss of given triplets, anchor/positive/negative [B, D].
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

}  // namespace lathe
