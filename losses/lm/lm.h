// The language-modelling family of the loss catalog (catalog: lm.md): token-level objectives,
// each defined in losses/lm/<name>.cpp. The fused linear cross-entropy, the causal-LM
// cross-entropy and the later entries are declared in lm_more.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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

struct TempnetDroCeLossOptions {
  double rho = 8.0;                // the KL radius (GPT-2 8, LLaMA 10; the function's default 1)
  std::string reduction = "mean";  // none | mean | sum (over tokens)
};

// TempNet's DRO cross-entropy tau CE(z / tau, y) + (rho - log K) tau of logits [N, K], class
// indices [N] (int) and temperatures [N, 1] (losses/lm/tempnet_dro_ce_loss.cpp).
Tensor tempnet_dro_ce_loss(const Tensor& input, const Tensor& target, const Tensor& tau,
                           const TempnetDroCeLossOptions& options = {});

struct EmoLossOptions {
  int64_t ignore_index = -100;     // labels equal to it are ignored
  std::string reduction = "mean";  // none | mean (masked: / (valid + 1e-15)) | sum
};

// EMO: half of CE plus the embedding-cost EMD bound rescaled (detached) to CE's size, of logits
// [N, V], labels [N] (int) and a frozen cost embedding [V, H] (losses/lm/emo_loss.cpp).
Tensor emo_loss(const Tensor& input, const Tensor& target, const Tensor& cost_embedding,
                const EmoLossOptions& options = {});

struct DcoLossOptions {
  int64_t N = 16;                  // the evaluation budget (samples at test time), >= 1
  std::string variant = "reference";  // reference (official surrogate) | exact (the objective)
  std::string reduction = "mean";  // none | mean | sum (over the examples)
};

// Direct coverage optimization of the answer's token log-probabilities [B, T] with a mask
// [B, T] (losses/lm/dco_loss.cpp).
Tensor dco_loss(const Tensor& token_logp, const Tensor& mask, const DcoLossOptions& options = {});

struct KvCachePredictionLossOptions {
  int64_t ignore_index = -100;     // positions whose label equals it are left out
  std::string reduction = "mean";  // none ([B, T]) | mean (per layer, summed) | sum
};

// KV prediction's cache loss: L1 of predicted against base keys and values, layer by layer
// ([B, H, T, d] each), over the positions whose label [B, T] is not ignored
// (losses/lm/kv_cache_prediction_loss.cpp).
Tensor kv_cache_prediction_loss(const std::vector<Tensor>& k_hat, const std::vector<Tensor>& k,
                                const std::vector<Tensor>& v_hat, const std::vector<Tensor>& v,
                                const Tensor& labels,
                                const KvCachePredictionLossOptions& options = {});

}  // namespace lathe
