// The distillation family's last catalog entries (catalog: distillation.md): f-distill's
// per-sample weight (losses/distill/f_distill_weight.cpp) and LELP's pseudo-subclass targets
// (losses/distill/lelp_kd.cpp). Kept apart from distill.h so that its headers stay stable.
#pragma once

#include <cstdint>
#include <string>

#include "core/tensor.h"

namespace lathe {

struct FDistillWeightOptions {
  std::string kind = "js";  // reverse_kl | softened_rkl | js | hellinger | forward_kl | jeffreys
  bool normalize = false;   // divide by the batch mean of the weights
  double max_logit = 50.0;  // the discriminator logit is clamped to <= this before exp
};

// f-distill's generator weight h(r) = f''(r) r^2 of each sample, from the auxiliary GAN
// discriminator's logits d [B] (r = e^d = p_teacher / q_student); detached, no gradient.
Tensor f_distill_weight(const Tensor& logit, const FDistillWeightOptions& options = {});

}  // namespace lathe
