// Target-based surrogates for stochastic optimization (Lavington, Vaswani, Babanezhad, Schmidt,
// Le Roux, ICML 2023, https://arxiv.org/abs/2302.02607; catalog optimizer.md "sso_surrogate", a
// procedure). An outer step fixes the targets z_t = f_theta_t(X) and the target-space gradient
// g_t = dl(z, y)/dz at z_t (l sum-reduced), then takes m inner steps on theta minimizing
//   s_t(theta) = mean_ij [ eta g_t,ij f_theta(X)_ij + (f_theta(X)_ij - sg(z_t,ij))^2 ]
// (the official code's surrogate, WilderLavington/Target-Based-Surrogates-For-Stochastic-
// Optimization optimizers/sgd_fmdopt.py SGD_FMDOpt.step: up to a positive factor and constants
// <g_t, z> + ||z - z_t||^2 / eta, minimized at z_t - eta g_t / 2). The paper's form
//   l(z_t) + <g_t, z - z_t> + ||z - z_t||^2 / (2 eta)       (sums; minimizer z_t - eta g_t)
// is sso_surrogate_paper (the catalog's "paper" variant: memory, unverified).
// NOTE: the official inner loop is an Armijo line-search SGD with its step reset to 10 at every
// outer step; sso_step below takes plain SGD steps of a fixed size (a smaller, deterministic
// procedure; the surrogate is the same).
#pragma once

#include <functional>
#include <vector>

#include "core/tensor.h"

namespace lathe::optim {

// mean(eta sg(g_t) z + (z - sg(z_t))^2); z, z_t, g_t [n, m] (any one shape).
Tensor sso_surrogate(const Tensor& z, const Tensor& z_t, const Tensor& g_t, double eta);
// loss_t + sum(sg(g_t) (z - sg(z_t))) + sum((z - sg(z_t))^2) / (2 eta).
Tensor sso_surrogate_paper(const Tensor& z, const Tensor& z_t, const Tensor& loss_t,
                           const Tensor& g_t, double eta);

struct SSOOptions {
  double eta = 1.0;          // target-space step size
  int64_t inner_steps = 10;  // m: surrogate steps per gradient of the true loss
  double inner_lr = 0.1;     // plain SGD step on the surrogate
};

// One outer step: z_t = predict(), g_t = d loss(z)/dz at z_t, then inner_steps SGD updates of
// params (in place, under NoGradGuard) on sso_surrogate(predict(), z_t, g_t, eta). Returns
// loss(z_t). predict() must depend on params; loss(z) must return one value.
double sso_step(const std::vector<Tensor>& params, const std::function<Tensor()>& predict,
                const std::function<Tensor(const Tensor&)>& loss, const SSOOptions& options = {});

}  // namespace lathe::optim
