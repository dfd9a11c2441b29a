// The ranking family of the loss catalog (catalog: ranking.md): pairwise and list-wise ranking
// surrogates, each defined in losses/ranking/<name>.cpp.
#pragma once

#include <cstdint>
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

struct SoftTopkLossOptions {
  double k = 5.0;                  // the soft count per row, in (0, L)
  double alpha = 2.0;              // sharpness
  int64_t n_iter = 32;             // bisection steps (>= 64 for machine precision)
  std::string reduction = "mean";  // none | mean | sum (over the rows)
};

// DEXML's soft top-k loss -mean_{p in P_i} logsigmoid(alpha (x_ip + t_i)) of scores [B, L] with
// a positive mask [B, L] (bool) (losses/ranking/soft_topk_loss.cpp).
Tensor soft_topk_loss(const Tensor& input, const Tensor& pos_mask,
                      const SoftTopkLossOptions& options = {});

}  // namespace lathe
