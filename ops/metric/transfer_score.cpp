// transfer_score: TransferScore TS = H - IM / log C - U (higher is better), on the unlabeled
// target set, of the classifier head weight W [C, D], target features X [N, D], target
// probabilities P [B, n, C] (B batches of n), Hopkins uniform points [m, D] and sampled rows
// [m] (int):
//   U  = mean_{i != j} (acos(w_i.w_j) - acos(-1 / (C - 1)))^2   (rows of W L2-normalized)
//   H  = sum u / (sum u + sum w),  u_i = min_j ||a_i - x_j||  (a the uniform points),
//        w_i = the distance from x_{s_i} to its nearest other row of X (the second smallest)
//   IM = mean_b [ mean_i sum_c -p_ic log(p_ic + 1e-5) + sum_c pbar_c log(pbar_c + 1e-6) ],
//        pbar = mean_i p_i over batch b
// A scalar. Not differentiable here: a model-selection score, computed without a graph.
// Paper: "Can We Evaluate Domain Adaptation Models Without Target-Domain Labels?" (J. Yang et
// al., ICLR 2024; catalog: metric.md, confidence 'official code': sleepyseal/TransferScore
// train.py get_transfer_score and entropy, utils.py uniformity).
// Decision: the code's random draws (m = int(0.05 N) uniform points in X's per-dimension
// bounding box, m rows without replacement) are inputs, so the score is reproducible; IM
// depends on the batching (the code's target loader), so the batches are an axis of P (equal
// sizes). m = 0 (N < 20 in the code) makes H 0 / 0: an error naming the op.
#include "ops/composite.h"
#include "ops/metric/common.h"
#include "ops/metric/metric.h"

#include <cmath>

namespace lathe {

Tensor transfer_score(const Tensor& weight, const Tensor& features, const Tensor& probs,
                      const Tensor& uniform_points, const Tensor& sample_index) {
  const char* op = "transfer_score";
  check_floating(op, "weight", weight);
  check_floating(op, "features", features);
  check_floating(op, "probs", probs);
  check_floating(op, "uniform_points", uniform_points);
  check_dim(op, "weight", weight, 2);
  check_dim(op, "features", features, 2);
  check_dim(op, "probs", probs, 3);
  check_dim(op, "uniform_points", uniform_points, 2);
  int64_t c = weight.shape()[0], d = weight.shape()[1], n = features.shape()[0];
  int64_t m = uniform_points.shape()[0];
  LATHE_CHECK(c >= 2, "[", op, "] weight needs C >= 2 classes, got ", weight.shape());
  LATHE_CHECK(features.shape()[1] == d && uniform_points.shape()[1] == d, "[", op,
              "] weight, features and uniform_points must share D: ", weight.shape(), ", ",
              features.shape(), ", ", uniform_points.shape());
  LATHE_CHECK(probs.shape()[2] == c && probs.shape()[0] >= 1 && probs.shape()[1] >= 1, "[", op,
              "] probs must be [B, n, C] with C = ", c, ", got ", probs.shape());
  LATHE_CHECK(m >= 1 && n >= 2, "[", op, "] the Hopkins statistic needs m >= 1 points and "
              "N >= 2 rows, got uniform_points ", uniform_points.shape(), ", features ",
              features.shape());
  metric_detail::check_labels(op, "sample_index", sample_index, m, n);
  NoGradGuard no_grad;
  // uniformity of the class weights
  Tensor wn = weight / maximum(sqrt(sum(weight * weight, {1}, true)), 1e-12);  // [C, D]
  Tensor cs = clamp(matmul(wn, transpose(wn, 0, 1)), -1.0, 1.0);              // [C, C]
  Tensor theta = atan2(sqrt(clamp(1.0 - cs * cs, 0.0)), cs);                  // acos
  double theta0 = std::acos(-1.0 / static_cast<double>(c - 1));
  Tensor idx = arange(c, DType::i64, weight.device());
  Tensor eye = eq(unsqueeze(idx, 1), unsqueeze(idx, 0));
  Tensor u_term = sum(where(eye, 0.0, (theta - theta0) * (theta - theta0))) /
                  static_cast<double>(c * (c - 1));
  // Hopkins statistic
  Tensor u = min(cdist(uniform_points, features), {1});                       // [m]
  Tensor dist = cdist(index_select(features, sample_index, 0), features);      // [m, N]
  Tensor w = narrow(topk(dist, 2, 1, false).first, 1, 1, 1);                  // [m, 1]
  Tensor h = sum(u) / (sum(u) + sum(w));
  // information maximization, per batch
  Tensor pbar = mean(probs, {1});                                             // [B, C]
  Tensor im = mean(sum(-probs * log(probs + 1e-5), {2}), {1}) +
              sum(pbar * log(pbar + 1e-6), {1});                              // [B]
  return h - mean(im) / std::log(static_cast<double>(c)) - u_term;
}

LATHE_REGISTER_OPS(transfer_score) {
  registry.add(OpDef("transfer_score", "metric")
                   .summary("TransferScore H - IM / log C - U: Hopkins statistic, prediction "
                            "mutual information, class-weight uniformity (not differentiable)")
                   .paper("Can We Evaluate Domain Adaptation Models Without Target-Domain "
                          "Labels?")
                   .input("weight", Kind::floating, kNoGrad)
                   .input("features", Kind::floating, kNoGrad)
                   .input("probs", Kind::floating, kNoGrad)
                   .input("uniform_points", Kind::floating, kNoGrad)
                   .input("sample_index", Kind::integer)
                   .output("score")
                   .run(transfer_score));
}

}  // namespace lathe
