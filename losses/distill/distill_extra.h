// The distillation family's last catalog entries (catalog: distillation.md): f-distill's
// per-sample weight (losses/distill/f_distill_weight.cpp) and LELP's pseudo-subclass
// distillation (losses/distill/lelp_kd.cpp). Kept apart from distill.h so that its headers stay stable.
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

struct LelpKdOptions {
  int64_t subclasses = 2;          // s pseudo-subclasses per class; logits are [B, C s]
  std::string reduction = "mean";  // none ([B]) | mean | sum
};

// LELP's loss part: cross-entropy of the student's (class x subclass) logits [B, C s] against
// the pseudo-subclass targets [B] (int, k s + j) that lelp_subclass_targets derives from the
// teacher offline (losses/distill/lelp_kd.cpp).
Tensor lelp_kd(const Tensor& student, const Tensor& target, const LelpKdOptions& options = {});

// LELP's offline step (a procedure, not a registered op): the teacher's embeddings [N, D] are
// projected onto the null space of its classifier weights [C, D]; within each class the
// projections are scored along their first principal direction and cut into `subclasses`
// equal-count bins (ties by index). Returns the targets k s + bin [N] (i64).
Tensor lelp_subclass_targets(const Tensor& teacher_embeddings, const Tensor& labels,
                             const Tensor& classifier_weight, int64_t subclasses);

// The student's class logits from its subclass logits [B, C s]: a log-sum-exp over each class's
// s columns ([B, C]), so that p(class) = sum of its subclasses' probabilities.
Tensor lelp_collapse(const Tensor& logits, int64_t subclasses);

}  // namespace lathe
