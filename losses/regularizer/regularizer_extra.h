// The regularizer family's last catalog entries (catalog: regularizer.md): the sparse
// autoencoder auxiliary losses and IGNITE's surrogate gradient-norm penalty, each in
// losses/regularizer/<name>.cpp. Kept apart from regularizer.h so that the first slice's header
// stays stable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace lathe {

struct SaeAuxKLossOptions {
  int64_t k_aux = 256;                 // latents the auxiliary reconstruction may use
  int64_t dead_tokens = 10000000;      // a latent idle for dead_tokens / B steps is dead
  double active_threshold = 1e-3;      // a main top-k value above it marks its latent active
};

struct SaeAuxKResult {
  Tensor loss;     // []
  Tensor counter;  // [N] steps since each latent was last active, after this step
};

// The aux-k loss of TopK sparse autoencoders: the residual x - sg(x_hat) [B, D] reconstructed
// by the decoder w_dec [D, N] from the top-k_aux dead latents of the pre-activations pre [B, N],
// normalized by the residual's variance; the dead-latent counter [N] is the state, updated
// from the main top-k indices main_idx [B, k] (int) and values main_vals [B, k] first
// (losses/regularizer/sae_aux_k_loss.cpp).
SaeAuxKResult sae_aux_k_loss(const Tensor& x, const Tensor& x_hat, const Tensor& pre,
                             const Tensor& w_dec, const Tensor& main_idx,
                             const Tensor& main_vals, const Tensor& counter,
                             const SaeAuxKLossOptions& options = {});

struct GradientNormPenaltyOptions {
  double lam = 1.0;  // the Lagrange multiplier lambda (>= 0; ignite_dual_step updates it)
  double eps = 0.0;  // the sharpness budget epsilon
  double rho = 1.0;  // the parameter perturbation radius
};

struct GradientNormPenaltyResult {
  Tensor loss;       // [] loss + lam (G - eps)
  Tensor sharpness;  // [] G = rho ||grads||_2 (with a graph: detach it for the dual step)
};

// IGNITE's Lagrangian loss + lam (rho ||grads|| - eps) of a surrogate's loss [] and the
// gradients of its prediction with respect to its parameters (computed with create_graph, e.g.
// by surrogate_grads) (losses/regularizer/gradient_norm_penalty.cpp).
GradientNormPenaltyResult gradient_norm_penalty(const Tensor& loss,
                                                const std::vector<Tensor>& grads,
                                                const GradientNormPenaltyOptions& options = {});

// d pred / d params with create_graph (pred aggregated to a scalar, e.g. a batch mean), so
// that the penalty's gradient is a Hessian-vector product.
std::vector<Tensor> surrogate_grads(const Tensor& pred, const std::vector<Tensor>& params);

// The dual ascent step lam <- max(0, lam + eta (G - eps)).
double ignite_dual_step(double lam, double sharpness, double eps, double eta);

}  // namespace lathe
