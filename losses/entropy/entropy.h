// The entropy family of the loss catalog (catalog: entropy.md): prediction and attention
// entropies, entropy-minimization objectives and entropy bonuses, each defined in
// losses/entropy/<name>.cpp.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace lathe {

struct PredictionEntropyOptions {
  bool normalized = false;         // divide by log C
  std::string reduction = "none";  // none | mean | sum (over samples and positions)
};

// Softmax entropy H(z) = -sum_c softmax(z)_c log_softmax(z)_c over the class axis dim 1 of
// logits [B, C, ...]; one value per sample and position [B, ...]
// (losses/entropy/prediction_entropy.cpp).
Tensor prediction_entropy(const Tensor& input, const PredictionEntropyOptions& options = {});

struct AttentionEntropyOptions {
  double delta = 1e-9;             // log(A + delta) keeps masked (zero) weights finite
  std::string reduction = "none";  // none | mean | sum (over rows)
};

// Row entropy -sum_j A_ij log(A_ij + delta) over the last axis of attention probabilities
// [..., Lq, Lk]; one value per row [..., Lq] (losses/entropy/attention_entropy.cpp).
Tensor attention_entropy(const Tensor& attn, const AttentionEntropyOptions& options = {});

struct TsallisEntropyOptions {
  double q = 1.1;          // entropy index (> 0; 1 is Shannon's)
  double eps = 1e-5;       // added to every probability first
  bool normalize = true;   // divide by the maximum S_max(E)
};

// Tsallis entropy S_q = (1 - sum_e (p_e + eps)^q) / (q - 1) over the last axis of router
// probabilities [..., E], one value per token [...] (losses/entropy/tsallis_entropy.cpp).
Tensor tsallis_entropy(const Tensor& probs, const TsallisEntropyOptions& options = {});

struct AemLossOptions {
  double lam = 0.1;   // weight of the summed negative attention entropy (--lamda)
  int64_t top_k = 0;  // > 0: the entropy of the renormalized top-k attention weights
};

// AEM: cross_entropy(z, y) (mean) + lam sum_{h,k} softmax(a) log softmax(a) of bag logits
// [B, C], class indices [B] (int) and MIL attention logits [h, K] (softmax over the K
// instances) (losses/entropy/aem_loss.cpp).
Tensor aem_loss(const Tensor& input, const Tensor& target, const Tensor& attn_logits,
                const AemLossOptions& options = {});

struct HappyEntropyRegOptions {
  int64_t k_old = -1;       // classes [0, k_old) are old, the rest new (required, >= 1)
  double w_on = 2.0;        // weight of the old/new group balance
  double w_o = 1.0;         // weight of the intra-old balance
  double w_n = 1.0;         // weight of the intra-new balance
  double temperature = 0.1;
};

// Happy's group-wise entropy regularizer 2 L_on + L_o + L_n on the batch-mean prediction
// softmax(z / 0.1) of logits [N, K] (losses/entropy/happy_entropy_reg.cpp).
Tensor happy_entropy_reg(const Tensor& input, const HappyEntropyRegOptions& options = {});

struct TokenEntropyBonusOptions {
  double alpha = 1e-3;  // bonus coefficient (the paper's value was not recovered)
  Tensor mask;          // optional [B, T] response mask (bool); all tokens when undefined
};

// Entropy bonus -alpha sum_bt M_bt H_bt / sum M of policy logits [B, T, V] (vocabulary last)
// (losses/entropy/token_entropy_bonus.cpp).
Tensor token_entropy_bonus(const Tensor& input, const TokenEntropyBonusOptions& options = {});

struct EntropyBandRegOptions {
  double lam = 1e-5;       // regularization weight
  double tolerance = 0.2;  // band half-width kappa = tolerance E_max
};

// Entropy-guided band penalty lam mean_l mean_h sum_{b,i} (dev 1[|dev| > kappa])^2, dev =
// Ent - w_h E_max, of per-layer attention probabilities [B, h, Lq, Lk] and learnable per-head
// thresholds w [h] (losses/entropy/entropy_band_reg.cpp).
Tensor entropy_band_reg(const std::vector<Tensor>& attn, const Tensor& w_heads,
                        const EntropyBandRegOptions& options = {});

struct WocEntropyMinOptions {
  double div_weight = 0.0;  // weight of the diversity term sum pbar log pbar (reference: 0.5)
};

// Wisdom-of-crowds entropy minimization: the mean entropy of the adapted model's predictions
// [N, C] over the samples whose confidence in the source model's class did not drop, given the
// frozen source logits [N, C] (no grad) (losses/entropy/woc_entropy_min.cpp).
Tensor woc_entropy_min(const Tensor& input, const Tensor& source,
                       const WocEntropyMinOptions& options = {});

struct CemaSedLossOptions {
  double alpha = 1.0;        // weight of the student's weighted entropy
  double beta = 1.0;         // weight of the weighted T^2 KL distillation
  double gamma = 1.0;        // weight of the weighted CE to the teacher's argmax
  double temperature = 1.0;  // T
  double e_max = std::numeric_limits<double>::quiet_NaN();  // NaN: weights 1
};

// CEMA selective entropy distillation of student logits [B, C] from foundation-model (teacher)
// logits [B, C] (no grad): alpha mean(w_s H(z_s)) + beta mean(w_t T^2 KL(p_t^T || p_s^T))
// + gamma mean(w_t CE(z_s, argmax z_t)), w = exp(-(sg H - e_max)) (losses/entropy/
// cema_sed_loss.cpp).
Tensor cema_sed_loss(const Tensor& input, const Tensor& teacher,
                     const CemaSedLossOptions& options = {});

struct DeyoLossOptions {
  double tau_ent = 0.5;       // entropy filter: Ent < tau_ent ln C (--deyo_margin)
  double ent0 = 0.4;          // Ent_0 = ent0 ln C in the entropy weight (--deyo_margin_e0)
  double tau_plpd = 0.2;      // PLPD filter (--plpd_threshold)
  bool reweight_ent = true;   // weight exp(-(Ent - Ent_0))
  bool reweight_plpd = true;  // weight exp(PLPD)
};

// DeYO's loss mean_{i in S2} alpha_i Ent_i of logits [B, C] and the logits of the
// object-destroyed views [B, C] (no grad) (losses/entropy/deyo_loss.cpp).
Tensor deyo_loss(const Tensor& input, const Tensor& destroyed,
                 const DeyoLossOptions& options = {});

struct CrossAttentionEntropyLossOptions {
  double temperature = 0.5;  // softmax over the text tokens at this temperature
  double eps = 1e-5;         // log(A + eps)
};

// ToMe's cross-attention entropy -2 sum_k sum_x At_k,x log(At_k,x + eps) of aggregated
// cross-attention maps [H, W, L] (text tokens 1 .. last-1) for the token indices [K] (int),
// At the min-max normalized, sum-normalized softmax maps (losses/entropy/
// cross_attention_entropy_loss.cpp).
Tensor cross_attention_entropy_loss(const Tensor& attn, const Tensor& token_idx,
                                    const CrossAttentionEntropyLossOptions& options = {});

}  // namespace lathe
