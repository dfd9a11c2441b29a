// adv_style: AdvStyle's adversarial feature-statistics perturbation, per (sample, channel)
//   mu = mean_HW x,  sigma = sqrt(var_HW(x, unbiased) + 1e-6),  x^ = (x - mu) / sigma
//   y = x^ (sigma + eps_sigma GRL(s_sigma)) + (mu + eps_mu GRL(s_mu))
// GRL = gradient_reversal (identity forward, -coeff g backward), so minimizing the task loss
// in s maximizes it in the perturbation strength. x [B, C, H, W] (any trailing spatial dims),
// s_mu, s_sigma [1, C, 1, 1] learnable, eps_mu, eps_sigma [B, C, 1, 1] N(0, 1) draws (inputs,
// so the op is deterministic; not differentiated).
// Paper: "Adversarial Style Augmentation for Domain Generalization" (catalog: layer.md, code
// YBZh/AdvStyle, Dassl.pytorch/dassl/modeling/ops/advstyle.py). Not re-read here (the file is
// not in the searchable code index): formula, the 1e-6 and the unbiased variance follow the
// catalog. The module nn::AdvStyle sets s lazily from the first training batch
// (adv_style_init: the batch std of mu and of sigma) and draws eps; the trainer's choice of
// branch (identity, AdvStyle or DSU with probability 1/3 each) and its separate optimizer for
// s are the caller's.
// Defaults: coeff 1 (adv_weight). H W = 1 is rejected (the unbiased variance divides by 0).
// Composite; the reversed s gradient is gradient_reversal's declared rule.
#include "ops/composite.h"
#include "ops/grad/grad.h"
#include "ops/layer/layer.h"

namespace lathe {

namespace {

Axes spatial_axes(const char* op, const Tensor& x) {
  LATHE_CHECK(x.dim() >= 3, "[", op, "] x must be [B, C, H, W] (or [B, C, ...]), got ",
              x.shape());
  Axes axes;
  int64_t n = 1;
  for (int64_t d = 2; d < x.dim(); ++d) {
    axes.push_back(d);
    n *= x.shape()[d];
  }
  LATHE_CHECK(n >= 2, "[", op, "] needs at least 2 spatial positions (the unbiased variance), "
              "got x ", x.shape());
  return axes;
}

}  // namespace

Tensor adv_style(const Tensor& x, const Tensor& s_mu, const Tensor& s_sigma,
                 const Tensor& eps_mu, const Tensor& eps_sigma, double coeff) {
  const char* op = "adv_style";
  check_floating(op, "x", x);
  Axes axes = spatial_axes(op, x);
  Shape stat(std::vector<int64_t>(x.dim(), 1));
  stat[0] = x.shape()[0];
  stat[1] = x.shape()[1];
  Shape param(std::vector<int64_t>(x.dim(), 1));
  param[1] = x.shape()[1];
  check_floating(op, "s_mu", s_mu);
  check_floating(op, "s_sigma", s_sigma);
  check_shape(op, "s_mu", s_mu, param);
  check_shape(op, "s_sigma", s_sigma, param);
  check_floating(op, "eps_mu", eps_mu);
  check_floating(op, "eps_sigma", eps_sigma);
  check_shape(op, "eps_mu", eps_mu, stat);
  check_shape(op, "eps_sigma", eps_sigma, stat);
  Tensor mu = mean(x, axes, true);                                      // [B, C, 1, 1]
  Tensor sigma = sqrt(var(x, axes, 1.0, true) + 1e-6);                  // [B, C, 1, 1]
  Tensor xn = (x - mu) / sigma;                                         // [B, C, H, W]
  Tensor sigma_adv = sigma + eps_sigma.detach() * gradient_reversal(s_sigma, coeff);
  Tensor mu_adv = mu + eps_mu.detach() * gradient_reversal(s_mu, coeff);
  return xn * sigma_adv + mu_adv;                                       // [B, C, H, W]
}

std::pair<Tensor, Tensor> adv_style_init(const Tensor& x, double eps) {
  const char* op = "adv_style";
  check_floating(op, "x", x);
  Axes axes = spatial_axes(op, x);
  LATHE_CHECK(x.shape()[0] >= 2, "[", op, "] initializing s needs a batch of at least 2 (the "
              "batch variance), got x ", x.shape());
  NoGradGuard no_grad;
  Tensor mu = mean(x, axes, true);                                      // [B, C, 1, 1]
  Tensor sigma = sqrt(var(x, axes, 1.0, true) + 1e-6);                  // [B, C, 1, 1]
  return {sqrt(var(mu, {0}, 1.0, true) + eps), sqrt(var(sigma, {0}, 1.0, true) + eps)};
}

LATHE_REGISTER_OPS(adv_style) {
  registry.add(OpDef("adv_style", "layer")
                   .summary("AdvStyle: feature mean and std perturbed by eps GRL(s)")
                   .paper("Adversarial Style Augmentation for Domain Generalization")
                   .input("x")
                   .input("s_mu")
                   .input("s_sigma")
                   .input("eps_mu", Kind::floating, kNoGrad)
                   .input("eps_sigma", Kind::floating, kNoGrad)
                   .attr("coeff", 1.0, "gradient reversal coefficient (adv_weight)")
                   .custom_backward("s_mu and s_sigma pass through gradient_reversal: their "
                                    "gradient is -coeff times the forward's derivative")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{adv_style(c.in("x"), c.in("s_mu"), c.in("s_sigma"),
                                              c.in("eps_mu"), c.in("eps_sigma"), c.f("coeff"))};
                   }));
}

}  // namespace lathe
