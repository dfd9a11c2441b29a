// The calibration family of the loss catalog (catalog: calibration.md): post-hoc and
// training-time calibration, each defined in losses/calibration/<name>.cpp. The module form of
// temperature scaling is models/calibration.h.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

// Temperature scaling z / T of logits [B, C] by one temperature T ([1] or 0-d, > 0)
// (losses/calibration/temperature_scaling.cpp).
Tensor temperature_scaling(const Tensor& logits, const Tensor& temperature);

struct MixupCrossEntropyOptions {
  std::string reduction = "mean";  // none | mean | sum (over the batch)
};

// K-point Mixup cross-entropy sum_k w_k CE(out, y[perm_k]) of logits [B, C], class indices
// [B] (int), the K - 1 permutations stacked [K-1, B] (int) and the Dirichlet weights [K]
// (losses/calibration/mixup_cross_entropy.cpp).
Tensor mixup_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& perms,
                           const Tensor& weights, const MixupCrossEntropyOptions& options = {});

struct CorrectnessAwareLossOptions {
  std::string reduction = "mean";  // none | mean (weighted: / sum of the weights) | sum
};

// Correctness-aware calibration loss w (max softmax(z / T) - k)^2 of frozen logits [B, C],
// class indices [B] (int) and per-sample temperatures [B, 1]
// (losses/calibration/correctness_aware_loss.cpp).
Tensor correctness_aware_loss(const Tensor& logits, const Tensor& target,
                              const Tensor& temperature,
                              const CorrectnessAwareLossOptions& options = {});

}  // namespace lathe
