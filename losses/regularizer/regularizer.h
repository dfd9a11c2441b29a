// The regularizer family of the loss catalog (catalog: regularizer.md): penalties on weights,
// routers, Jacobians, gradients and sparse-autoencoder latents, each defined in
// losses/regularizer/<name>.cpp.
#pragma once

#include <string>
#include <vector>

#include "core/tensor.h"

namespace lathe {

struct SwitchLoadBalanceLossOptions {
  int64_t k = 2;        // experts per token (top-k)
  double coef = 0.001;  // router_aux_loss_coef
  Tensor mask;          // optional [N] (bool): the tokens that count
};

// Switch/Mixtral load-balance loss coef E sum_e F_e Pbar_e of router logits [N, E] (tokens
// concatenated over layers), with an optional token mask [N] (bool) in the options
// (losses/regularizer/switch_load_balance_loss.cpp).
Tensor switch_load_balance_loss(const Tensor& router_logits,
                                const SwitchLoadBalanceLossOptions& options = {});

struct WdrLossOptions {
  double kurt_target = 1.8;  // kurtosis of a uniform distribution
  double skew_target = 0.0;
  double kurt_rate = 0.015;  // the supernet config's weights
  double skew_rate = 1.0;
};

// EQ-Net weight distribution regularization kurt_rate mean_l (kurt_l - 1.8)^2 + skew_rate
// mean_l skew_l^2 over the standardized weight tensors given (the reference leaves the first
// layer out: the caller passes the others) (losses/regularizer/wdr_loss.cpp).
Tensor wdr_loss(const std::vector<Tensor>& weights, const WdrLossOptions& options = {});

struct DynmoleRouterLossOptions {
  double q = 1.1;                  // Tsallis entropy index
  double top_p = 0.75;             // keep experts while the cumulative probability <= top_p
  int64_t keep_top_k = 2;          // ... and always at least this many
  double entropy_threshold = 0.9;  // tokens above it (normalized Tsallis) use every expert
  double lam_ent = 0.01;           // weight of the mean router entropy
  double lam_lb = 0.001;           // weight of the soft load balance
  double eps = 1e-5;               // the Tsallis entropy's eps
};

// DynMoLE router loss lam_ent mean_t S_q(P_t) + lam_lb E sum_e f_e Pbar_e of router logits
// [N, E], f the token mean of the hybrid-routing weights P * mask
// (losses/regularizer/dynmole_router_loss.cpp).
Tensor dynmole_router_loss(const Tensor& router_logits,
                           const DynmoleRouterLossOptions& options = {});

struct ContractiveReconLossOptions {
  double sigma2 = 0.01;              // sigma^2, the weight of the Jacobian norm (>= 0)
  std::string activation = "sigmoid";  // the hidden layer's h: sigmoid | tanh
};

// Alain & Bengio's contractive reconstruction criterion mean_b(|r(x) - x|^2 + sigma^2
// |dr/dx|_F^2) of a one-hidden-layer auto-encoder r(x) = W_dec h(W_enc x + b_enc) + b_dec, with
// x [B, D], W_enc [H, D], b_enc [H], W_dec [D, H], b_dec [D] and the Jacobian in closed form
// (losses/regularizer/contractive_recon_loss.cpp).
Tensor contractive_recon_loss(const Tensor& x, const Tensor& w_enc, const Tensor& b_enc,
                              const Tensor& w_dec, const Tensor& b_dec,
                              const ContractiveReconLossOptions& options = {});

}  // namespace lathe
