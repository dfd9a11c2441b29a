// Layer-level ops of the catalog (catalog: layer.md, dir ops/layer), each in
// ops/layer/<name>.cpp; their modules (parameters, lazily set state, sampling of the random
// inputs) are in models/layer/layer.h. Random parts (drop index, style noise, swap mask) are
// explicit inputs, so every op is deterministic and gradcheckable.
#pragma once

#include <cstdint>
#include <utility>

#include "core/tensor.h"

namespace lathe {

// softmax over the k largest gate logits of each row, 0 elsewhere: g [..., E] from h [..., E].
Tensor topk_softmax_gating(const Tensor& h, int64_t k = 2);

// Hyp-OC's hyperbolic multinomial logistic regression: logits [..., C] of ball points
// x [..., D] for per-class raw parameters a, p [C, D] (p mapped by expmap0), curvature c.
Tensor hyperbolic_mlr(const Tensor& x, const Tensor& a, const Tensor& p, double c = 0.1);

// Nested dropout with a given drop index: keeps the first k channels along `axis`, zeroes the
// rest (no rescaling).
Tensor nested_dropout(const Tensor& x, int64_t k, int64_t axis = 1);
// Draws k in {1..D} with P(k) proportional to exp(-((k - mu)/sigma)^2) from `u` in [0, 1).
int64_t nested_dropout_sample_k(int64_t d, double sigma, double mu, double u);

// AdvStyle: x [B, C, H, W] restyled with mean mu + eps_mu GRL(s_mu) and std sigma + eps_sigma
// GRL(s_sigma); s [1, C, 1, 1] learnable, eps [B, C, 1, 1] the N(0, 1) draws.
Tensor adv_style(const Tensor& x, const Tensor& s_mu, const Tensor& s_sigma,
                 const Tensor& eps_mu, const Tensor& eps_sigma, double coeff = 1.0);
// The initial {s_mu, s_sigma}: the batch std of the per-sample channel means and stds
// (unbiased, + eps under the root), each [1, C, 1, 1]. Needs B >= 2.
std::pair<Tensor, Tensor> adv_style_init(const Tensor& x, double eps = 1e-6);

// Noise-DA's per-sample block swap: {c1, c2} = mask ? {y_real, y_syn} : {y_syn, y_real}.
std::pair<Tensor, Tensor> channel_shuffle(const Tensor& y_syn, const Tensor& y_real,
                                          const Tensor& mask);

// Spark FFN: y = (gelu(statistical_topk(x[..., :r] k1, k)) * (x[..., r:] k2)) v, r = rows of
// k1; x [..., d], k1 [r, F], k2 [d - r, F], v [F, d_out] -> y [..., d_out].
Tensor spark_ffn(const Tensor& x, const Tensor& k1, const Tensor& k2, const Tensor& v,
                 int64_t k);

// S4D's convolution kernel K [H, L] from log_dt [H], log_a_real, a_imag [H, N2] and the
// complex c [H, N2, 2].
Tensor s4_conv_kernel(const Tensor& log_dt, const Tensor& log_a_real, const Tensor& a_imag,
                      const Tensor& c, int64_t length = 16);

// Kymatio's Scattering2D(J, (H, W), L, max_order) of x [..., H, W]:
// [..., K, H / 2^J, W / 2^J], K = 1 + L J (+ L^2 J (J - 1) / 2 for max_order 2).
Tensor scattering_transform_2d(const Tensor& x, int64_t j = 2, int64_t l = 8,
                               int64_t max_order = 2);

// Slot Attention's parameters, named as Slot-TTA's SlotAttention state dict (dots -> _).
struct SlotAttentionParams {
  Tensor norm_input_weight, norm_input_bias;    // [D]
  Tensor norm_slots_weight, norm_slots_bias;    // [D]
  Tensor norm_pre_ff_weight, norm_pre_ff_bias;  // [D]
  Tensor to_q_weight, to_q_bias;                // [D, D], [D]
  Tensor to_k_weight, to_k_bias;
  Tensor to_v_weight, to_v_bias;
  Tensor gru_weight_ih, gru_weight_hh;          // [3D, D] (gates r, z, n)
  Tensor gru_bias_ih, gru_bias_hh;              // [3D]
  Tensor fc1_weight, fc1_bias;                  // [hidden, D], [hidden]
  Tensor fc2_weight, fc2_bias;                  // [D, hidden], [D]
};
// {slots [B, K, D], last normalized attention [B, K, N]} from inputs x [B, N, D] and the
// starting slots [B or 1, K, D] (slots_mu, or Locatello's mu + sigma noise).
std::pair<Tensor, Tensor> slot_attention(const Tensor& x, const Tensor& slots,
                                         const SlotAttentionParams& p, int64_t iters = 3,
                                         double eps = 1e-8);

}  // namespace lathe
