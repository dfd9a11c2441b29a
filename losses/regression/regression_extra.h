// The regression family's last catalog entries (catalog: regression.md): the PINN loss of the
// 1-D Schrodinger equation and IMPACT's synthesis loss, each in losses/regression/<name>.cpp.
// Kept apart from regression.h so that the first slice's header stays stable.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace lathe {

struct PinnSchrodingerLossOptions {
  double lambda_norm = 1.0;  // weight of the normalization term (N - 1)^2
};

// The residual-plus-normalization loss of the trial function psi(x) = x (1 - x) net(x) on
// collocation points x [K, 1] (sorted, in [0, 1]), potential values v [K, 1] and energy E []:
// mean_k (-psi'' + v psi - E psi)^2 + lambda (trapz(psi^2, x) - 1)^2, psi'' by two nested
// create_graph gradients of `net` ([K, 1] -> [K, 1], applied row by row)
// (losses/regression/pinn_schrodinger_loss.cpp).
Tensor schrodinger_residual_loss(const std::function<Tensor(const Tensor&)>& net,
                                 const Tensor& x, const Tensor& v, const Tensor& energy,
                                 double lambda_norm = 1.0);

// The registered op: the loss above for the one-hidden-layer tanh network
// net(x) = w2 tanh(w1 x + b1) + b2 (w1 [H, 1], b1 [H], w2 [1, H], b2 [1]).
Tensor pinn_schrodinger_loss(const Tensor& x, const Tensor& v, const Tensor& energy,
                             const Tensor& w1, const Tensor& b1, const Tensor& w2,
                             const Tensor& b2, const PinnSchrodingerLossOptions& options = {});

struct ImpactSynthLossOptions {
  Tensor layer_weights;    // [L] w_l per feature layer (constant), or undefined: every w_l = 1
  double pix_weight = 1.0; // lambda_pix of the voxel L1 term
};

// IMPACT's synthesis loss: pix_weight L1(sct, ct) + sum_l w_l mean|phi_l(sct) - phi_l(ct)| of
// the synthetic and real images and their frozen extractors' feature lists (the real side
// detached) (losses/regression/impact_synth_loss.cpp).
Tensor impact_synth_loss(const Tensor& sct, const Tensor& ct, const std::vector<Tensor>& feats_sct,
                         const std::vector<Tensor>& feats_ct,
                         const ImpactSynthLossOptions& options = {});

}  // namespace lathe
