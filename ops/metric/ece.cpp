// ece: the expected calibration error of logits [N, C] against integer labels [N]:
//   conf = max_c softmax(z)_c, pred = argmax_c (the first on ties), acc = 1[pred = y],
//   bins b = (e_{b-1}, e_b] on (0, 1], edges e = linspace(0, 1, n_bins + 1),
//   ECE = sum_b |B_b| / N |mean_{B_b} conf - mean_{B_b} acc| = sum_b |sum_{B_b} (conf - acc)| / N
// A scalar. Not differentiable (binning): an evaluation utility, computed without a graph.
// Papers: "Optimizing Calibration by Gaining Aware of Prediction Correctness"; "On the
// Limitations of Temperature Scaling for Distributions with Overlaps" (catalog: metric.md,
// confidence 'official code': liuyvchi/Correctness-aware-calibration _ECELoss).
// Defaults: 15 bins (_ECELoss's default; the calibration script uses 25).
// Decision: the edges are torch.linspace's points computed in double (upper edge inclusive,
// a confidence exactly on an edge goes to the lower bin, as in _ECELoss); empty bins add 0.
#include "ops/composite.h"
#include "ops/metric/common.h"
#include "ops/metric/metric.h"

namespace lathe {

Tensor ece(const Tensor& logits, const Tensor& labels, const EceOptions& o) {
  const char* op = "ece";
  check_floating(op, "logits", logits);
  check_dim(op, "logits", logits, 2);
  LATHE_CHECK(logits.shape()[0] >= 1 && logits.shape()[1] >= 1, "[", op,
              "] logits must be [N, C] with N, C >= 1, got ", logits.shape());
  metric_detail::check_labels(op, "labels", labels, logits.shape()[0], logits.shape()[1]);
  LATHE_CHECK(o.n_bins >= 1, "[", op, "] n_bins must be >= 1, got ", o.n_bins);
  NoGradGuard no_grad;
  Tensor p = softmax(logits, 1);                                          // [N, C]
  Tensor conf = max(p, {1});                                              // [N]
  Tensor acc = cast(eq(argmax(p, 1), labels), DType::f64);                // [N]
  std::vector<double> edges = metric_detail::linspace(0.0, 1.0, o.n_bins + 1);
  Tensor conf64 = cast(conf, DType::f64), gap = conf64 - acc;
  Tensor total = zeros({}, DType::f64, logits.device());
  for (int64_t b = 0; b < o.n_bins; ++b) {
    Tensor in = logical_and(gt(conf64, edges[b]), le(conf64, edges[b + 1]));  // [N]
    total = total + abs(sum(where(in, gap, 0.0)));
  }
  return cast(total / static_cast<double>(logits.shape()[0]), logits.dtype());
}

LATHE_REGISTER_OPS(ece) {
  registry.add(OpDef("ece", "metric")
                   .summary("expected calibration error of logits [N, C] over equal-width "
                            "confidence bins (not differentiable)")
                   .paper("Optimizing Calibration by Gaining Aware of Prediction Correctness; "
                          "On the Limitations of Temperature Scaling for Distributions with "
                          "Overlaps")
                   .input("logits", Kind::floating, kNoGrad)
                   .input("labels", Kind::integer)
                   .options<EceOptions>()
                   .attr("n_bins", &EceOptions::n_bins, "equal-width bins on (0, 1]")
                   .output("ece")
                   .run(ece));
}

}  // namespace lathe
