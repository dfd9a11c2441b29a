// The distillation family of the loss catalog (catalog: distillation.md): objectives take
// (student, teacher, options) and detach the teacher themselves; each is defined in
// losses/distill/<name>.cpp. This header holds kd_kl_loss and brings the rest of the family:
// logit.h (logit and LLM token-level objectives), feature.h (feature objectives), other.h
// (quantization, weak-to-strong, MI, segmentation, trajectory, multi-teacher, layered and
// LLM span/clipping entries).
#pragma once

#include <string>

#include "core/tensor.h"
#include "losses/distill/feature.h"
#include "losses/distill/logit.h"
#include "losses/distill/other.h"

namespace lathe {

struct KdOptions {
  double temperature = 4.0;
  std::string variant = "batchmean";  // batchmean | elementwise | cls_kd
  double alpha = 0.5;                 // cls_kd only
  Tensor labels;                      // cls_kd only: [B] class indices
};

// Hinton's knowledge distillation KL loss (losses/distill/kd_kl_loss.cpp).
Tensor kd_kl_loss(const Tensor& student, const Tensor& teacher, const KdOptions& options = {});

}  // namespace lathe
