// Feature-based distillation objectives (the standard set of RepDistiller / torchdistill /
// mdistiller): features are [B, D] or [B, C, H, W] (any [B, ...] where the op flattens).
// Each takes (student, teacher, options) and detaches the teacher itself; each is defined in
// losses/distill/<name>.cpp.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

struct FitnetOptions {
  Tensor weight;                   // [C_t, C_s] regressor (a linear map, or a 1x1 conv)
  Tensor bias;                     // [C_t] regressor bias
  std::string reduction = "mean";  // none | mean | sum over the elements
};

// FitNets hint: (student regressed to the teacher's channels - teacher)^2
// (losses/distill/fitnet_hint_loss.cpp).
Tensor fitnet_hint_loss(const Tensor& student, const Tensor& teacher,
                        const FitnetOptions& options = {});

struct AttentionTransferOptions {
  double p = 2.0;  // attention map: mean over channels of |f|^p
};

// Attention transfer: mean squared difference of the L2-normalized spatial attention maps
// (losses/distill/attention_transfer_loss.cpp). Features [B, C, ...].
Tensor attention_transfer_loss(const Tensor& student, const Tensor& teacher,
                               const AttentionTransferOptions& options = {});

struct RkdOptions {
  double w_d = 25.0;  // weight of the distance term
  double w_a = 50.0;  // weight of the angle term
};

// Relational KD: distance-wise plus angle-wise smooth-L1 between the batch's relational
// structures (losses/distill/rkd_loss.cpp). Embeddings [B, ...], flattened.
Tensor rkd_loss(const Tensor& student, const Tensor& teacher, const RkdOptions& options = {});

struct PktOptions {
  double eps = 1e-7;
};

// Probabilistic knowledge transfer: KL between cosine-kernel conditional distributions
// (losses/distill/pkt_loss.cpp). Features [B, ...], flattened.
Tensor pkt_loss(const Tensor& student, const Tensor& teacher, const PktOptions& options = {});

// Similarity-preserving KD: squared difference of the row-normalized batch Gram matrices over
// B^2 (losses/distill/similarity_preserving_loss.cpp). Features [B, ...], flattened.
Tensor similarity_preserving_loss(const Tensor& student, const Tensor& teacher);

struct NdOptions {
  Tensor centers;       // [C, D] teacher class-mean embeddings (constants)
  Tensor target;        // [B] class indices
  double factor = 1.0;  // nd_loss_factor
};

// KD++'s norm-and-direction loss on penultimate embeddings (losses/distill/nd_loss.cpp).
Tensor nd_loss(const Tensor& student, const Tensor& teacher, const NdOptions& options = {});

struct SelfDistillMseOptions {
  double a = 0.6;                  // weight of the ground truth (0: pure self-distillation)
  bool probs = false;              // classification form: softmax of pred and of the teacher
  std::string reduction = "mean";  // none | mean | sum over the elements
};

// Self-distillation's weighted MSE: a (pred - y)^2 + (1 - a)(pred - y_prev)^2
// (losses/distill/self_distill_weighted_mse.cpp).
Tensor self_distill_weighted_mse(const Tensor& pred, const Tensor& target,
                                 const Tensor& teacher,
                                 const SelfDistillMseOptions& options = {});

}  // namespace lathe
