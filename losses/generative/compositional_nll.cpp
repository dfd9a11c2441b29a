// compositional_nll: MECO's negative log-likelihood of an energy model p(x) = exp(-E(x)) / Z
// through compositional optimization. With a noise distribution q, log Z = log g,
// g = E_{x'~q}[exp(-E(x')) / q(x')], an expectation inside a log; per step, with the data
// energies e_data [N], the noise samples' energies e_noise [M] and their log-densities log_q [M]:
//   log g^ = logsumexp_j(-e_noise_j - log_q_j) - log M,
//   u <- (1 - beta) u + beta g^     (a detached moving average; the first call, log_u = -inf,
//                                    i.e. u = 0 "no estimate yet", sets u = g^),
//   L = mean_i e_data_i + exp(log g^ - log sg(u)),
// whose gradient is the compositional estimator grad mean E + grad g^ / u (beta = 1: the plain
// grad [mean E + log g^]). Outputs the loss and the updated state log_u (shape of the input
// state, one element), all in log space so very negative energies do not overflow.
// Paper: "Learning Unnormalized Statistical Models via Compositional Optimization" (Jiang, Qin,
// Wu, Chen, Yang, Zhang, ICML 2023, arXiv 2306.07485; catalog: generative.md, confidence
// 'memory'). Verified: the abstract (openreview muHLl7UXi9, arXiv) confirms the method (MECO):
// log Z written as a compositional function whose inner expectation over a noise distribution
// is estimated from samples and optimized by a stochastic compositional algorithm. Not
// verified: no official code was found in the code index (searched the title, MECO,
// compositional NCE); the moving-average inner estimate, beta = 0.1 and the surrogate form are
// the standard SCGD/SOX recipe, as the catalog reconstructs them.
// Defined backward: u is a constant (a stop-gradient of input-dependent state), so the op is
// tested against PyTorch's autograd of the same surrogate, not finite differences. Composite.
#include "losses/generative/generative.h"
#include "ops/composite.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lathe {

CompositionalNllResult compositional_nll(const Tensor& e_data, const Tensor& e_noise,
                                         const Tensor& log_q, const Tensor& log_u,
                                         const CompositionalNllOptions& o) {
  const char* op = "compositional_nll";
  check_floating(op, "e_data", e_data);
  check_floating(op, "e_noise", e_noise);
  check_floating(op, "log_q", log_q);
  check_floating(op, "log_u", log_u);
  check_dim(op, "e_data", e_data, 1);
  check_dim(op, "e_noise", e_noise, 1);
  check_same_shape(op, "e_noise", e_noise, "log_q", log_q);
  LATHE_CHECK(e_data.numel() > 0 && e_noise.numel() > 0, "[", op,
              "] needs at least one data and one noise sample, got ", e_data.shape(), " and ",
              e_noise.shape());
  LATHE_CHECK(log_u.numel() == 1, "[", op, "] log_u holds one value, got ", log_u.shape());
  LATHE_CHECK(o.beta > 0 && o.beta <= 1, "[", op, "] beta must be in (0, 1], got ", o.beta);
  double m = double(e_noise.numel());
  Tensor log_g = logsumexp(-e_noise - log_q) - std::log(m);              // []
  double lg = log_g.detach().item(), lu = log_u.detach().item();
  LATHE_CHECK(!std::isnan(lu) && lu != std::numeric_limits<double>::infinity(), "[", op,
              "] log_u must be finite or -inf (no estimate yet), got ", lu);
  LATHE_CHECK(std::isfinite(lg), "[", op, "] log g^ is not finite (", lg,
              "): check the noise energies and log-densities");
  double next = lg;
  if (std::isfinite(lu) && o.beta < 1) {
    double a = std::log1p(-o.beta) + lu, b = std::log(o.beta) + lg;    // logaddexp(a, b)
    double hi = std::max(a, b);
    next = hi + std::log1p(std::exp(std::min(a, b) - hi));
  }
  Tensor loss = mean(e_data) + exp(log_g - next);                        // []
  Tensor state = full_like(log_u.detach(), next);
  return {loss, state};
}

LATHE_REGISTER_OPS(compositional_nll) {
  registry.add(OpDef("compositional_nll", "generative")
                   .summary("MECO compositional NLL surrogate mean E(x) + g^ / sg(u) of an "
                            "energy model, u a moving average")
                   .paper("Learning Unnormalized Statistical Models via Compositional "
                          "Optimization")
                   .input("e_data")
                   .input("e_noise")
                   .input("log_q")
                   .output("loss")
                   .state("log_u")
                   .options<CompositionalNllOptions>()
                   .attr("beta", &CompositionalNllOptions::beta,
                         "moving-average rate of u in (0, 1] (1: the plain estimate)")
                   .custom_backward("u (the moving average of g^) is a stop-gradient")
                   .own_reduction("a scalar: the data mean plus the partition-function term")
                   .run([](const OpCall& c) {
                     CompositionalNllResult res = compositional_nll(
                         c.in("e_data"), c.in("e_noise"), c.in("log_q"), c.in("log_u"),
                         c.options<CompositionalNllOptions>());
                     return Outputs{res.loss, res.log_u};
                   }));
}

}  // namespace lathe
