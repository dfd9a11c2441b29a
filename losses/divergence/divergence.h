// The divergence family of the loss catalog (catalog: divergence.md): divergences, estimators
// and statistical distances between distributions or sample sets, each defined in
// losses/divergence/<name>.cpp.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

struct KlDivergenceOptions {
  std::string reduction = "batchmean";  // none | batchmean | mean | sum
  bool log_target = false;              // the target holds log p
  bool symmetric = false;               // KL(p || q) + KL(q || p)
};

// KL(p || q) = sum_c p_c (log p_c - log q_c) of log-probabilities log q and probabilities p of
// the same shape [B, ...] (losses/divergence/kl_divergence.cpp).
Tensor kl_divergence(const Tensor& input, const Tensor& target,
                     const KlDivergenceOptions& options = {});

struct KlEstimatorOptions {
  std::string which = "k3";  // k1 | k2 | k3 (Schulman's estimators)
  bool clamp = false;        // k3 only: r clamped to [-20, 20], k3 to [-10, 10] (verl)
};

// Per-token estimate of the reverse KL(pi_theta || pi_ref) from sampled-token log-probabilities
// of the policy [...] and of the reference [...] (no grad): r = log pi_ref - log pi_theta,
// k1 = -r, k2 = r^2 / 2, k3 = e^r - 1 - r (losses/divergence/kl_estimator.cpp).
Tensor kl_estimator(const Tensor& input, const Tensor& ref, const KlEstimatorOptions& options = {});

// The Gaussian Gram exp(-|sqdist(x_i, y_j)|/(2 sigma^2)) of rows x [N, d] and y [M, d] with
// squared distances |x|^2 + |y|^2 - 2 x.y, as the Cauchy-Schwarz reference code computes them
// (its abs() guards rounding below 0) (losses/divergence/cs_divergence.cpp).
Tensor cs_gaussian_gram(const Tensor& x, const Tensor& y, double sigma);

struct CsDivergenceOptions {
  double sigma = 1.0;  // Gaussian kernel width, > 0
};

// Cauchy-Schwarz divergence -2 log mean K(x,y) + log mean K(x,x) + log mean K(y,y) of two
// sample sets x [N, d] and y [M, d] (losses/divergence/cs_divergence.cpp).
Tensor cs_divergence(const Tensor& x, const Tensor& y, const CsDivergenceOptions& options = {});

// Conditional CS divergence D_CS(p(y|x) || p(yhat|x)) (log base 2) of inputs x [N, ...]
// (flattened), targets y [N, 1] (no grad) and predictions yhat [N, 1]
// (losses/divergence/cs_divergence_conditional.cpp).
Tensor cs_divergence_conditional(const Tensor& x, const Tensor& target, const Tensor& input,
                                 const CsDivergenceOptions& options = {});

struct CsQmiOptions {
  double sigma = 1.0;       // Gaussian kernel width, > 0
  bool normalized = false;  // I(x, z) / sqrt(I(x, x) I(z, z))
};

// Cauchy-Schwarz quadratic mutual information (log base 2) of paired samples x [N, ...] and
// z [N, ...] (flattened per row) (losses/divergence/cs_qmi.cpp).
Tensor cs_qmi(const Tensor& x, const Tensor& z, const CsQmiOptions& options = {});

struct CsIbLossOptions {
  double beta = 0.01;  // weight of the compression term (the CLI default)
  double sigma = 1.0;  // Gaussian kernel width of every Gram, > 0
};

// Cauchy-Schwarz information bottleneck for regression: cs_divergence_conditional(x, y, yhat)
// + beta cs_qmi(x, z, normalized) of inputs x [N, ...] (no grad), targets y [N, 1] (no grad),
// predictions yhat [N, 1] and representations z [N, ...] (losses/divergence/cs_ib_loss.cpp).
Tensor cs_ib_loss(const Tensor& x, const Tensor& target, const Tensor& input, const Tensor& z,
                  const CsIbLossOptions& options = {});

// Energy distance (the energy-kernel MMD of GeomLoss's kernel_loss) of two point clouds x [N, D]
// and y [M, D] with uniform weights (losses/divergence/energy_distance.cpp).
Tensor energy_distance(const Tensor& x, const Tensor& y);

// PULASki's "hausdorff" GeomLoss call: energy_distance of every batch element's clouds
// x [B, S, ...] and y [B, S', ...] (flattened per point), averaged over the batch
// (losses/divergence/energy_distance.cpp).
Tensor hausdorff_divergence(const Tensor& x, const Tensor& y);

struct FrechetDistanceOptions {
  double eps = 1e-6;  // eps I added to both covariances (singular ones: fewer samples than dims)
};

// Frechet distance |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)) of the Gaussian fits of two
// feature sets f1 [N1, D] and f2 [N2, D] (losses/divergence/frechet_distance.cpp).
Tensor frechet_distance(const Tensor& f1, const Tensor& f2,
                        const FrechetDistanceOptions& options = {});

struct SinkhornDivergenceOptions {
  double blur = 0.05;    // target epsilon = blur^p
  double scaling = 0.5;  // ratio of successive blur values of the epsilon schedule, in (0, 1)
  int64_t p = 2;         // the cost |x - y|^p / p: 2 only
  // 0: GeomLoss's epsilon-scaling schedule with its envelope gradient. > 0: at most this many
  // Sinkhorn sweeps at eps = blur^p, differentiated through (sinkhorn_divergence.cpp).
  int64_t iterations = 0;
  // With iterations > 0: stop once no potential moves by more than this in a sweep (0: never).
  double tolerance = 0.0;
};

// Debiased entropic OT S_eps = OT(a, b) - OT(a, a) / 2 - OT(b, b) / 2 of point clouds x [N, D]
// and y [M, D] with uniform weights, by GeomLoss's log-domain epsilon-scaling schedule
// (losses/divergence/sinkhorn_divergence.cpp), or by a fixed number of sweeps differentiated
// through (options.iterations, options.tolerance).
Tensor sinkhorn_divergence(const Tensor& x, const Tensor& y,
                           const SinkhornDivergenceOptions& options = {});

}  // namespace lathe
