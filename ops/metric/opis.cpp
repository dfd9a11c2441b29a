// opis: the Operating-Point-Inconsistency Score of a deep metric learning model, how much the
// utility of one distance threshold varies across classes, from pairwise distances [N, N]
// (symmetric, the diagonal unused), integer labels [N] and an ascending threshold grid
// d_1 < ... < d_K (the calibration range):
//   for each class c with a positive pair (i < j, both of class c) and a negative pair (i < j,
//   exactly one of class c):
//     TPR_c(d) = #{positive pairs with distance <= d} / #positive pairs,
//     TNR_c(d) = #{negative pairs with distance > d} / #negative pairs,
//     U_c(d) = 2 TPR_c TNR_c / (TPR_c + TNR_c)   (0 when both are 0),
//   Ubar(d) = mean_c U_c(d),
//   OPIS = mean_c (1 / (d_K - d_1)) integral_{d_1}^{d_K} (U_c(d) - Ubar(d))^2 dd  (trapezoids)
// A scalar; 0 when every class has the same utility curve. Not differentiable (thresholded
// counts): an evaluation utility, computed on the host.
// Paper: "Threshold-Consistent Margin Loss for Open-World Deep Metric Learning" (catalog:
// metric.md, confidence 'memory'). NOTE (unverified): no code for OPIS was found (the
// threshold_consistent_margin_loss port in pytorch-metric-learning implements the loss, not
// the score), and this session found no readable text of the paper's definition either. The
// catalog records only "the mean over classes of the integral of (utility_c(d) - mean
// utility(d))^2 over a range of thresholds, the utility an F-score-like combination of TPR and
// TNR per class". The choices that the catalog leaves open are made explicit here and may
// differ from the paper: the harmonic mean of TPR and TNR as the utility, pairs counted per
// class (a negative pair counts for both of its classes), the threshold grid as an input (the
// paper's calibration range), and the integral divided by the range's length (a mean over d).
// Classes with a single sample (no positive pair) are left out.
#include "ops/composite.h"
#include "ops/metric/metric.h"

#include <map>
#include <vector>

namespace lathe {

Tensor opis(const Tensor& distances, const Tensor& labels, const Tensor& thresholds) {
  const char* op = "opis";
  check_floating(op, "distances", distances);
  check_floating(op, "thresholds", thresholds);
  check_dim(op, "distances", distances, 2);
  check_dim(op, "thresholds", thresholds, 1);
  int64_t n = distances.shape()[0], k = thresholds.shape()[0];
  LATHE_CHECK(distances.shape()[1] == n, "[", op, "] distances must be [N, N], got ",
              distances.shape());
  LATHE_CHECK(is_integral(labels.dtype()) && labels.shape() == Shape{n}, "[", op,
              "] labels must be integers [N] = [", n, "], got ", labels.dtype(), " ",
              labels.shape());
  std::vector<double> d = thresholds.to_vector<double>();
  LATHE_CHECK(k >= 2, "[", op, "] thresholds needs at least 2 points, got ", k);
  for (int64_t t = 1; t < k; ++t)
    LATHE_CHECK(d[t] > d[t - 1], "[", op, "] thresholds must be strictly ascending");
  std::vector<double> dist = distances.to_vector<double>();
  std::vector<int64_t> lab = labels.to_vector<int64_t>();
  struct Counts {
    std::vector<double> pos_le, neg_gt;  // per threshold
    double pos = 0, neg = 0;
  };
  std::map<int64_t, Counts> per_class;
  for (int64_t c : lab) per_class[c] = Counts{std::vector<double>(k, 0.0),
                                              std::vector<double>(k, 0.0), 0, 0};
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i + 1; j < n; ++j) {
      double v = dist[i * n + j];
      if (lab[i] == lab[j]) {
        Counts& c = per_class[lab[i]];
        c.pos += 1;
        for (int64_t t = 0; t < k; ++t) c.pos_le[t] += v <= d[t];
      } else {
        for (int64_t cls : {lab[i], lab[j]}) {
          Counts& c = per_class[cls];
          c.neg += 1;
          for (int64_t t = 0; t < k; ++t) c.neg_gt[t] += v > d[t];
        }
      }
    }
  std::vector<std::vector<double>> util;  // [classes kept][K]
  for (auto& [cls, c] : per_class) {
    if (c.pos == 0 || c.neg == 0) continue;
    std::vector<double> u(k);
    for (int64_t t = 0; t < k; ++t) {
      double tpr = c.pos_le[t] / c.pos, tnr = c.neg_gt[t] / c.neg;
      u[t] = tpr + tnr > 0 ? 2 * tpr * tnr / (tpr + tnr) : 0.0;
    }
    util.push_back(u);
  }
  LATHE_CHECK(!util.empty(), "[", op, "] no class has both a positive and a negative pair");
  double m = static_cast<double>(util.size()), total = 0.0;
  std::vector<double> var(k, 0.0);  // mean_c (U_c - Ubar)^2 per threshold
  for (int64_t t = 0; t < k; ++t) {
    double mean = 0.0;
    for (const auto& u : util) mean += u[t] / m;
    for (const auto& u : util) var[t] += (u[t] - mean) * (u[t] - mean) / m;
  }
  for (int64_t t = 1; t < k; ++t) total += 0.5 * (var[t] + var[t - 1]) * (d[t] - d[t - 1]);
  total /= d[k - 1] - d[0];
  return scalar(total, DType::f64, distances.device()).to(distances.dtype());
}

LATHE_REGISTER_OPS(opis) {
  registry.add(OpDef("opis", "metric")
                   .summary("OPIS: the across-class variance of the TPR/TNR harmonic-mean "
                            "utility, averaged over a threshold range (unverified reading; not "
                            "differentiable)")
                   .paper("Threshold-Consistent Margin Loss for Open-World Deep Metric Learning")
                   .input("distances", Kind::floating, kNoGrad)
                   .input("labels", Kind::integer)
                   .input("thresholds", Kind::floating, kNoGrad)
                   .output("opis")
                   .run(opis));
}

}  // namespace lathe
