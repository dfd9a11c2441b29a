// The contrastive family's last catalog entries (catalog: contrastive.md): Wasserstein
// predictive coding (losses/contrastive/wpc_loss.cpp) and WSCoL's weak-to-strong contrastive
// procedure (losses/contrastive/wscol_contrastive_loss.cpp). Kept apart from contrastive.h and
// contrastive_more.h so that those headers stay stable.
#pragma once

#include <functional>
#include <string>

#include "core/tensor.h"

namespace lathe {

struct WpcLossOptions {
  double lam_gp = 10.0;  // weight of the gradient penalty (WGAN-GP's usual value)
};

// Critic scores f(x_i, y_j) of paired batches x [N, Dx], y [N, Dy]: [N, N].
using PairCritic = std::function<Tensor(const Tensor& x, const Tensor& y)>;

// WPC with any critic: InfoNCE of critic(x, y) plus lam_gp mean_i (||grad_{(x,y)} f(x_i, y_i)||
// - 1)^2, the gradient taken with create_graph (losses/contrastive/wpc_loss.cpp).
Tensor wpc_loss_with(const PairCritic& critic, const Tensor& x, const Tensor& y,
                     double lam_gp = 10.0);

// The registered op: WPC with the separable critic f(x, y) = tanh(wx x) . tanh(wy y)
// (wx [H, Dx], wy [H, Dy]), CPC's form.
Tensor wpc_loss(const Tensor& x, const Tensor& y, const Tensor& wx, const Tensor& wy,
                const WpcLossOptions& options = {});

}  // namespace lathe
