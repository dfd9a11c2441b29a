// The metric_learning family's second slice (catalog: metric_learning.md), defined in
// losses/metric_learning/<name>.cpp. Reached through metric_learning.h once merged.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

struct GroupSymmetricTripletLossOptions {
  double margin = 0.1;   // the triplets' hinge margin, >= 0
  double weight = 3.0;   // the loss weight (lambdas_sal_last['triplet'])
};

// GCoNet+'s group-based symmetric triplet loss of two concatenated image groups' pooled
// features [2n, C]. losses/metric_learning/group_symmetric_triplet_loss.cpp.
Tensor group_symmetric_triplet_loss(const Tensor& features,
                                    const GroupSymmetricTripletLossOptions& options = {});

struct EnergyConfusionLossOptions {};

// The energy-confusion term: mean squared distance over different-label pairs of
// embeddings [B, D] with labels [B]. losses/metric_learning/energy_confusion_loss.cpp.
Tensor energy_confusion_loss(const Tensor& embeddings, const Tensor& labels,
                             const EnergyConfusionLossOptions& options = {});

struct SoftDtwTripletLossOptions {
  double margin = 1.0;             // hinge margin
  double gamma = 0.1;              // soft-min temperature, > 0
  std::string reduction = "mean";  // none | mean | sum over triplets
};

// Triplet hinge on soft-DTW between frame-embedding sequences: anchor [T, N, D],
// positive [T, M, D], negative [T, K, D]. losses/metric_learning/soft_dtw_triplet_loss.cpp.
Tensor soft_dtw_triplet_loss(const Tensor& anchor, const Tensor& positive,
                             const Tensor& negative, const SoftDtwTripletLossOptions& options = {});

}  // namespace lathe

namespace lathe {

struct IcnnScoreLossOptions {
  int64_t k = 4;        // neighbours scored (clipped to n - 2), >= 1
  int64_t ipc = 0;      // neighbours fetched besides "self"; 0: k + 1
  Tensor target;        // [n, D] the neighbours' pool (support, prototypes), or undefined: origin
  Tensor target_labels; // [n] its labels (with target)
};

// ICNN's modified score, L = -log(score), of embeddings origin [B, D] with labels [B] against
// their k nearest neighbours in origin (or in target).
// losses/metric_learning/icnn_score_loss.cpp.
Tensor icnn_score_loss(const Tensor& origin, const Tensor& labels,
                       const IcnnScoreLossOptions& options = {});

}  // namespace lathe

namespace lathe {

struct MetrixLossOptions {
  double lam = 0.5;          // the mixing weight lambda of the mixed rows, in [0, 1]
  double neg_margin = 0.5;   // the contrastive negative margin
};

// Metrix's mixed contrastive term: anchor [K, D] and its mixed embedding mixed [K, D] (row k
// pairs them), positive weight lam and negative weight 1 - lam.
// losses/metric_learning/metrix_loss.cpp.
Tensor metrix_loss(const Tensor& anchor, const Tensor& mixed,
                   const MetrixLossOptions& options = {});

struct TemporalCycleConsistencyLossOptions {
  std::string variant = "regression_mse_var";  // regression_mse_var | regression_mse |
                                               // regression_huber | classification
  std::string similarity = "l2";   // l2 | cosine
  double temperature = 0.1;        // > 0
  double lam = 1e-3;               // weight of log sigma^2 (regression_mse_var)
  double label_smoothing = 0.1;    // classification
  double huber_delta = 0.1;        // regression_huber
  double seq_len = 0.0;            // > 0: frame indices divided by it (normalize_indices)
  std::string reduction = "mean";  // none | mean | sum over the start frames of u
};

// TCC's deterministic cycle u -> v -> u of frame embeddings u [N, D], v [M, D].
// losses/metric_learning/temporal_cycle_consistency_loss.cpp.
Tensor temporal_cycle_consistency_loss(const Tensor& u, const Tensor& v,
                                       const TemporalCycleConsistencyLossOptions& options = {});

}  // namespace lathe

namespace lathe {

struct SubspaceMarginLossOptions {
  double margin = 0.2;   // alpha
  double nu = 0.0;       // weight of |beta|_1
};

// The margin loss of one dynamic-subspace learner on its L2-normalized slice emb [B, D_k], the
// sampled triplets anchor / positive / negative [T] (i64 row indices) and the learnable
// boundary beta ([1], or [T] for class-specific boundaries gathered by the caller).
// losses/metric_learning/subspace_margin_loss.cpp.
Tensor subspace_margin_loss(const Tensor& emb, const Tensor& anchor, const Tensor& positive,
                            const Tensor& negative, const Tensor& beta,
                            const SubspaceMarginLossOptions& options = {});

}  // namespace lathe

namespace lathe {

// The signal-to-noise-ratio distances Var_D(b_j - a_i) / Var_D(a_i) of anchors a [Na, D] to
// rows b [Nb, D]: [Na, Nb] (registered in family nn: it returns no loss).
// losses/metric_learning/snr_distance.cpp.
Tensor snr_distance(const Tensor& a, const Tensor& b);

}  // namespace lathe
