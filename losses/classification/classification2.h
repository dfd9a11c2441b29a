// Classification losses of issue 17's second slice, declared apart from classification.h while
// they are developed (classification.h is included everywhere through lathe.h); folded into it
// at the end.
#pragma once

#include <limits>
#include <string>

#include "core/tensor.h"

namespace lathe {

struct FedldMarginalLogLossOptions {
  double lam = 0.03;  // lambda (FedLD's --margin_loss_penalty)
};

// FedLD's marginal log loss CE_mean(z, y) + lambda log(1 + ||softmax(z)||_F^2) of logits [B, C]
// against class indices [B] (int) (losses/classification/fedld_marginal_log_loss.cpp).
Tensor fedld_marginal_log_loss(const Tensor& input, const Tensor& target,
                               const FedldMarginalLogLossOptions& options = {});

struct AnylossOptions {
  std::string metric = "fbeta";  // fbeta | gmean | gmean_sqrt | bacc | acc
  double L = std::numeric_limits<double>::quiet_NaN();  // amplifier, > 0 (required)
  double beta = 1.0;             // F-beta's beta
};

// AnyLoss 1 - metric(soft confusion matrix) of probabilities [N] against labels [N] (int, 0/1):
// one scalar per batch (losses/classification/anyloss.cpp).
Tensor anyloss(const Tensor& input, const Tensor& target, const AnylossOptions& options = {});

struct NormalizedSoftmaxLossOptions {
  double temperature = 0.05;    // T (Zhai & Wu; 0.1 is pyopenset's scale s = 10)
  bool pre_layernorm = false;   // parameter-free LayerNorm (eps 1e-5) on x first
  std::string reduction = "mean";  // none | mean | sum (over the batch)
};

// Cross-entropy of cosine logits <x/|x|, w/|w|> / T of embeddings [B, D] against class proxies
// [C, D], class indices [B] (int) (losses/classification/normalized_softmax_loss.cpp).
Tensor normalized_softmax_loss(const Tensor& input, const Tensor& proxies, const Tensor& target,
                               const NormalizedSoftmaxLossOptions& options = {});

struct EbvGenerationLossOptions {
  double thr = 0.002;             // allowed |cos| between basis vectors
  std::string reduction = "sum";  // none ([N, N]) | mean | sum
};

// Equiangular basis generation loss sum_{i != j} relu(|cos(w_i, w_j)| - thr) of rows [N, d]
// (losses/classification/ebv_generation_loss.cpp).
Tensor ebv_generation_loss(const Tensor& weight, const EbvGenerationLossOptions& options = {});

struct FixmatchConfidenceCeOptions {
  double tau = 0.95;              // confidence threshold (conf_thresh)
  std::string mode = "pixelwise"; // pixelwise | pixelratio | pixelavg
  int64_t ignore_value = 255;     // pixels of `ignore` equal to it are not valid
};

// FixMatch-style confident pseudo-label cross-entropy of strong-view logits [B, C, H, W]
// against the argmax of weak-view logits [B, C, H, W] (a detached teacher), with an ignore map
// [B, H, W] (int) (losses/classification/fixmatch_confidence_ce.cpp).
Tensor fixmatch_confidence_ce(const Tensor& input, const Tensor& weak, const Tensor& ignore,
                              const FixmatchConfidenceCeOptions& options = {});

// Equiangular-basis logits normalize(f) E^T / tau of features [B, d] against a frozen basis
// [N, d] (losses/classification/ebv_logits.cpp; registered in family nn).
Tensor ebv_logits(const Tensor& features, const Tensor& basis, double tau = 0.07);

}  // namespace lathe
