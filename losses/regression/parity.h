// torch.nn.functional parity losses of the regression family (issue 17): PyTorch's argument
// names, defaults and semantics, one loss per file in losses/regression/<name>.cpp.
// Arguments are (input, target, options).
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

struct HuberLossOptions {
  std::string reduction = "mean";  // none | mean | sum
  double delta = 1.0;              // > 0: where the square turns linear
};

// 0.5 d^2 for |d| < delta, else delta (|d| - 0.5 delta), d = input - target (same shape).
// losses/regression/huber_loss.cpp.
Tensor huber_loss(const Tensor& input, const Tensor& target, const HuberLossOptions& options = {});

struct SmoothL1LossOptions {
  std::string reduction = "mean";  // none | mean | sum
  double beta = 1.0;               // >= 0 (0: l1_loss)
};

// 0.5 d^2 / beta for |d| < beta, else |d| - 0.5 beta. losses/regression/smooth_l1_loss.cpp.
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target,
                      const SmoothL1LossOptions& options = {});

struct PoissonNllLossOptions {
  bool log_input = true;           // input is log(rate): exp(x) - t x; else x - t log(x + eps)
  bool full = false;               // add Stirling's t log t - t + 0.5 log(2 pi t) where t > 1
  double eps = 1e-8;               // > 0, keeps log(x + eps) finite when !log_input
  std::string reduction = "mean";  // none | mean | sum
};

// Poisson negative log-likelihood of a rate against counts t of the same shape.
// losses/regression/poisson_nll_loss.cpp.
Tensor poisson_nll_loss(const Tensor& input, const Tensor& target,
                        const PoissonNllLossOptions& options = {});

struct GaussianNllLossOptions {
  bool full = false;               // add 0.5 log(2 pi)
  double eps = 1e-6;               // > 0, the variance is clamped at it (no gradient effect)
  std::string reduction = "mean";  // none | mean | sum
};

// 0.5 (log v + (input - target)^2 / v) with the variance v shaped like the input, or like it
// without the last dim, or with last dim 1. losses/regression/gaussian_nll_loss.cpp.
Tensor gaussian_nll_loss(const Tensor& input, const Tensor& target, const Tensor& var,
                         const GaussianNllLossOptions& options = {});

struct MarginRankingLossOptions {
  double margin = 0.0;
  std::string reduction = "mean";  // none | mean | sum
};

// max(0, -y (x1 - x2) + margin) for scores x1, x2 and labels y in {-1, 1} (float), one shape.
// losses/regression/margin_ranking_loss.cpp.
Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                           const MarginRankingLossOptions& options = {});

struct CosineEmbeddingLossOptions {
  double margin = 0.0;             // in [-1, 1]
  std::string reduction = "mean";  // none ([N]) | mean | sum
};

// 1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1, rows [N, D] (or [D])
// against labels [N] (or []). losses/regression/cosine_embedding_loss.cpp.
Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                             const CosineEmbeddingLossOptions& options = {});

struct TripletMarginLossOptions {
  double margin = 1.0;             // >= 0
  double p = 2.0;                  // > 0: the norm of the pairwise distance
  double eps = 1e-6;               // >= 0, added to the difference inside the norm
  bool swap = false;               // d(a, n) := min(d(a, n), d(p, n))
  std::string reduction = "mean";  // none ([N]) | mean | sum
};

// max(0, d(a, p) - d(a, n) + margin), d(x, y) = ||x - y + eps||_p over the last dim, for rows
// [N, D] (or [D]). losses/regression/triplet_margin_loss.cpp.
Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                           const TripletMarginLossOptions& options = {});

struct TripletMarginWithDistanceLossOptions {
  std::string distance_function = "pairwise";  // pairwise (||x - y + 1e-6||_2) | cosine
  double margin = 1.0;                         // > 0
  bool swap = false;                           // d(a, n) := min(d(a, n), d(p, n))
  std::string reduction = "mean";              // none ([N]) | mean | sum
};

// max(0, d(a, p) - d(a, n) + margin) with d named by distance_function.
// losses/regression/triplet_margin_with_distance_loss.cpp.
Tensor triplet_margin_with_distance_loss(const Tensor& anchor, const Tensor& positive,
                                         const Tensor& negative,
                                         const TripletMarginWithDistanceLossOptions& options = {});

}  // namespace lathe
