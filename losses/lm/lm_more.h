// The language-modelling family's second slice (catalog: lm.md): the fused linear
// cross-entropy that never holds the [N, V] logits, the causal-LM cross-entropy, TempNet's
// temperature head, the faithfulness contrastive loss and the set-order loss. Each is defined in
// losses/lm/<name>.cpp. Kept apart from lm.h so that the first slice's header stays stable.
#pragma once

#include <cstdint>
#include <string>

#include "core/tensor.h"

namespace lathe {

struct LinearCrossEntropyOptions {
  Tensor bias;                     // [V] added to the logits, or undefined
  int64_t ignore_index = -100;     // targets equal to it contribute 0
  double softcap = 0.0;            // > 0: z <- softcap tanh(z / softcap); 0: no capping
  double label_smoothing = 0.0;    // eps in [0, 1]: (1 - eps) nll + eps mean_v (LSE - z_v)
  int64_t shift = 0;               // k: e[..., t, :] pairs with y[..., t + k], 0 <= k < T
  std::string reduction = "mean";  // none (y's shape after the shift) | mean (valid) | sum
  int64_t row_block = 1024;        // rows of hidden per block
  int64_t vocab_block = 4096;      // rows of weight (classes) per block
};

// Cross-entropy of the logits hidden [..., T, H] . weight [V, H]^T (+ bias) against targets
// [..., T] (int), computed by blocks of rows and classes: the [N, V] logits and their gradient
// are never held (losses/lm/linear_cross_entropy.cpp).
Tensor linear_cross_entropy(const Tensor& hidden, const Tensor& weight, const Tensor& target,
                            const LinearCrossEntropyOptions& options = {});

struct CausalLmCrossEntropyOptions {
  int64_t ignore_index = -100;     // prompt, padding and media placeholders
  bool shift = true;               // position t predicts token t + 1 (Hugging Face)
  std::string reduction = "mean";  // none ([B, T-1] with shift) | mean (valid tokens) | sum
};

// Cross-entropy of LM logits [B, T, V] against labels [B, T] (int), shifted by one as Hugging
// Face does (losses/lm/causal_lm_cross_entropy.cpp).
Tensor causal_lm_cross_entropy(const Tensor& logits, const Tensor& labels,
                               const CausalLmCrossEntropyOptions& options = {});

struct TempnetHeadOptions {
  double tau_min = 0.5;    // the temperature range (tau_min, tau_max)
  double tau_max = 5.0;
  double dropout = 0.5;    // after the first layer's sigmoid, in training only
  bool training = false;   // dropout on (the module's train mode)
  int64_t seed = -1;       // dropout's seed; < 0 draws from the global generator
};

// TempNet's temperature head: one tau in (tau_min, tau_max) per row of logits [N, K], which it
// reads detached, from two K -> h -> h linears (w1 [h, K], w2 [h, h]), a softmax gate with the
// learnable log-scale s [] and the last linear w3 [1, h]; returns tau [N, 1]
// (losses/lm/tempnet_head.cpp; its module is nn::TempNetHead, models/tempnet.h).
Tensor tempnet_head(const Tensor& logits, const Tensor& w1, const Tensor& b1, const Tensor& w2,
                    const Tensor& b2, const Tensor& w3, const Tensor& b3, const Tensor& s,
                    const TempnetHeadOptions& options = {});

struct FaithfulnessContrastiveLossOptions {
  int64_t n_pos = 2;               // the first n_pos candidates are positives, >= 2
  int64_t ignore_index = -100;     // padded positions, left out of the pooling
  std::string reduction = "mean";  // none ([B]) | mean | sum (over the sources)
};

// The calibration-set contrastive loss of projected decoder states h [B, c, T, d] of c candidate
// summaries (positives first) with labels [B, c, T] (int) marking padding
// (losses/lm/faithfulness_contrastive_loss.cpp).
Tensor faithfulness_contrastive_loss(const Tensor& h, const Tensor& labels,
                                     const FaithfulnessContrastiveLossOptions& options = {});

struct SetOrderLossOptions {
  std::string reduction = "mean";  // none ([B]) | mean | sum (over the examples)
};

// Order Matters' set loss: the smallest sequence NLL [B, P] over the P candidate orderings of
// each example (losses/lm/set_order_loss.cpp).
Tensor set_order_loss(const Tensor& nll, const SetOrderLossOptions& options = {});

}  // namespace lathe
