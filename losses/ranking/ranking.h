// The ranking family of the loss catalog (catalog: ranking.md): pairwise and list-wise ranking
// surrogates, each defined in losses/ranking/<name>.cpp.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

struct BprLossOptions {
  std::string reduction = "mean";  // none | mean | sum (over the pairs)
};

// Bayesian personalized ranking softplus(-(s_pos - s_neg)) of paired scores of one shape
// (losses/ranking/bpr_loss.cpp).
Tensor bpr_loss(const Tensor& pos, const Tensor& neg, const BprLossOptions& options = {});

// HPM's relative loss-prediction objective: predicted per-patch losses [N, L] ranked against
// target losses [N, L] (a constant) by a pairwise BCE (losses/ranking/hpm_relative_loss.cpp).
Tensor hpm_relative_loss(const Tensor& input, const Tensor& target);

struct MwAucLossOptions {
  double tau = 0.01;                // temperature (the paper's training value)
  std::string reduction = "paper";  // paper (sum over negatives, mean over positives) | mean
};

// Mann-Whitney AUC loss of a score matrix [B, P] with a positive mask [B, P] (bool): every
// positive against every negative of the batch (losses/ranking/mw_auc_loss.cpp).
Tensor mw_auc_loss(const Tensor& scores, const Tensor& pos_mask,
                   const MwAucLossOptions& options = {});

}  // namespace lathe
