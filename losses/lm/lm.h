// The language-modelling family of the loss catalog (catalog: lm.md): token-level objectives,
// each defined in losses/lm/<name>.cpp. The fused linear cross-entropy and the causal-LM
// cross-entropy are a later task.
#pragma once

#include <cstdint>
#include <string>

#include "core/tensor.h"

namespace lathe {

struct LogitZLossOptions {
  int64_t ignore_index = -100;       // targets equal to it are ignored
  double eps = 1e-4;                 // the weight (corenet's z_loss_eps)
  std::string mode = "reference";    // reference (ignored rows add (log V)^2) | masked
  std::string reduction = "mean";    // none ([N]) | mean (over valid tokens) | sum
};

// The log-partition penalty eps sum_t LSE(x_t)^2 / n_valid of logits [N, V] with targets [N]
// (int) marking ignored tokens (losses/lm/logit_z_loss.cpp).
Tensor logit_z_loss(const Tensor& input, const Tensor& target,
                    const LogitZLossOptions& options = {});

struct UnlikelihoodLossOptions {
  double eps = 0.1;              // label smoothing (the reference's hard-coded default)
  int64_t ignore_index = -100;   // padding tokens
  std::string reduction = "mean";  // none ([T], 0 at padding) | mean (over active tokens) | sum
};

// Label-smoothed unlikelihood -log(1 - p) of token probabilities [T, V] of a negative sequence
// with its tokens [T] (int) (losses/lm/unlikelihood_loss.cpp).
Tensor unlikelihood_loss(const Tensor& probs, const Tensor& target,
                         const UnlikelihoodLossOptions& options = {});

struct MarginRankCalibrationLossOptions {
  double margin = 0.001;  // lambda: the margin of gap g is g lambda (BRIO's value)
};

// BRIO-style margin ranking of candidate scores [B, m] sorted best first, plus optionally the
// gold summaries' scores [B] (losses/lm/margin_rank_calibration_loss.cpp).
Tensor margin_rank_calibration_loss(const Tensor& scores,
                                    const MarginRankCalibrationLossOptions& options = {},
                                    const Tensor& gold_scores = Tensor());

}  // namespace lathe
