// The robust family of the loss catalog (catalog: robust.md): distributionally robust and
// reweighted losses, each defined in losses/robust/<name>.cpp.
#pragma once

#include <limits>
#include <string>

#include "core/tensor.h"

namespace lathe {

struct LdrKlLossOptions {
  double margin = 2.0;          // c (the class default; the experiment script uses 0.1)
  double lam = 1.0;             // lambda, > 0 (the class default; the script uses 10)
  bool softplus_norm = true;    // s = softplus(h) / mean_k softplus(h)_k first
  std::string reduction = "mean";  // none | mean | sum
};

// Label-distributionally robust loss lambda (LSE_k(d_k / lambda) - log C) of scores [B, C]
// against class indices [B] (int) (losses/robust/ldr_kl_loss.cpp).
Tensor ldr_kl_loss(const Tensor& input, const Tensor& target,
                   const LdrKlLossOptions& options = {});

struct KlDroLossOptions {
  double r = std::numeric_limits<double>::quiet_NaN();  // temperature, > 0 (required)
};

// KL-regularized distributionally robust aggregate r (LSE(l / r) - log n) of per-sample losses
// [n] (losses/robust/kl_dro_loss.cpp).
Tensor kl_dro_loss(const Tensor& losses, const KlDroLossOptions& options = {});

struct LossReweightOptions {
  std::string strategy = "linupper";  // linupper | quadratic | extremes
  double delta = 1.0;                 // the normalized losses' half range
  double r = 1.0;                     // softmax temperature, > 0
};

// Loss-based sample reweighting sum_i w_i l_i, w = softmax(g(l^) / r) detached, of per-sample
// losses [n] (losses/robust/loss_reweight.cpp).
Tensor loss_reweight(const Tensor& losses, const LossReweightOptions& options = {});

struct AldrKlLossOptions {
  double margin = 1.0;             // c (the class default; the demo script's 0.1)
  double lam_ref = 1.0;            // lambda_0 (the class default; the demo script's 10)
  double alpha = 2.0;              // the KL budget's scale (the demo's 2; 1 lets lambda reach 0)
  bool softplus = false;           // softplus(h) first (the reference's CIFAR-100 setting)
  std::string reduction = "mean";  // none | mean | sum
};

struct AldrKlLossResult {
  Tensor loss;       // the reduced loss
  Tensor lam_state;  // [N_dataset, 1] with the rows of this batch's indices rewritten
};

// Adaptive LDR-KL: ldr_kl_loss at a per-sample temperature lambda_i kept in a dataset-wide
// buffer [N_dataset, 1], of scores [B, C], class indices [B] (int) and sample indices [B] (int)
// (losses/robust/aldr_kl_loss.cpp).
AldrKlLossResult aldr_kl_loss(const Tensor& input, const Tensor& target, const Tensor& lam_state,
                              const Tensor& index, const AldrKlLossOptions& options = {});

struct SmoothAdvCompSumLossOptions {
  double tau = 1.0;                // the comp-sum member (1: cross-entropy)
  double nu = 1.0;                 // weight of the smoothness term, >= 0
  std::string diff = "margins";    // margins (score differences z_k - z_y) | scores
  std::string reduction = "mean";  // none | mean | sum
};

// Smooth adversarial comp-sum loss comp_sum(z, y) + nu |D(z') - D(z)|_2 of clean logits [B, C],
// adversarial logits [B, C] and class indices [B] (int) (losses/robust/
// smooth_adv_comp_sum_loss.cpp).
Tensor smooth_adv_comp_sum_loss(const Tensor& input, const Tensor& adv_input, const Tensor& target,
                                const SmoothAdvCompSumLossOptions& options = {});

}  // namespace lathe
