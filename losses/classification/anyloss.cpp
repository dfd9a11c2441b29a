// anyloss: AnyLoss, a confusion-matrix metric made a loss (binary, batch-level). Probabilities
// p in (0, 1) [N] (callers with logits apply sigmoid first), labels y in {0, 1} [N] (int):
//   a = sigmoid(L (p - 0.5)),   TP = sum y a,  y1 = sum y,  y0 = N - y1,
//   FN = y1 - TP,  FP = sum a - TP,  TN = N - y1 - sum a + TP,   s = 1e-5,
//   fbeta:      1 - (1 + b^2) TP / (b^2 y1 + sum a + s),
//   gmean:      1 - TP TN / (y1 y0 + s)             (official: one minus TPR TNR),
//   gmean_sqrt: 1 - sqrt(TP/(y1 + s) TN/(y0 + s))  (a reading of the paper; unverified),
//   bacc:       1 - (y0 TP + y1 TN) / (2 y1 y0 + s),
//   acc:        1 - (TP + TN) / N.
// One scalar per batch, not decomposable: the loss declares its own reduction.
// Paper: "AnyLoss: Transforming Classification Metrics into Loss Functions" (catalog:
// classification.md, official code).
// Defaults: metric 'fbeta', beta 1; the amplifier L is required (NaN until set): the paper's 73
// is not confirmed from source, the extension's README says [2, 70].
// Gradient (autograd): da/dp = L a (1 - a), concentrated near p = 0.5 by design; then the
// quotient rule. A one-class batch is kept finite only by s, as in the reference.
// Composite.
#include "losses/classification/classification.h"
#include "ops/composite.h"

#include <cmath>

namespace lathe {

Tensor anyloss(const Tensor& input, const Tensor& target, const AnylossOptions& o) {
  const char* op = "anyloss";
  check_floating(op, "input", input);
  check_dim(op, "input", input, 1);
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) && target.shape() == input.shape(),
              "[", op, "] labels must be integers 0/1 shaped like the input ", input.shape(),
              ", got ", target.defined() ? target.shape() : Shape{});
  for (int64_t k : target.to(DType::i64).to_vector<int64_t>())
    LATHE_CHECK(k == 0 || k == 1, "[", op, "] labels must be 0 or 1, got ", k);
  LATHE_CHECK(!std::isnan(o.L), "[", op, "] L is required (the amplifier, > 0; paper: 73)");
  LATHE_CHECK(o.L > 0, "[", op, "] L must be > 0, got ", o.L);
  const std::string& m = o.metric;
  LATHE_CHECK(m == "fbeta" || m == "gmean" || m == "gmean_sqrt" || m == "bacc" || m == "acc",
              "[", op, "] metric must be fbeta, gmean, gmean_sqrt, bacc or acc, got '", m, "'");
  const double s = 1e-5;
  double n = static_cast<double>(input.numel());
  Tensor a = sigmoid(o.L * (input - 0.5));            // [N]
  Tensor y = cast(target, input.dtype());             // [N]
  Tensor y1 = sum(y), y0 = n - y1;                    // []
  Tensor tp = sum(y * a), sa = sum(a);                // []
  Tensor tn = n - y1 - sa + tp;                       // []
  Tensor metric;
  if (m == "fbeta") {
    double b2 = o.beta * o.beta;
    metric = (1.0 + b2) * tp / (b2 * y1 + sa + s);
  } else if (m == "gmean") {
    metric = tp * tn / (y1 * y0 + s);
  } else if (m == "gmean_sqrt") {
    metric = sqrt(tp / (y1 + s) * tn / (y0 + s));
  } else if (m == "bacc") {
    metric = (y0 * tp + y1 * tn) / (2.0 * y1 * y0 + s);
  } else {
    metric = (tp + tn) / n;
  }
  return 1.0 - metric;
}

LATHE_REGISTER_OPS(anyloss) {
  registry.add(OpDef("anyloss", "classification")
                   .summary("AnyLoss: 1 - a confusion-matrix metric of sigmoid-amplified "
                            "probabilities")
                   .paper("AnyLoss: Transforming Classification Metrics into Loss Functions")
                   .input("input")
                   .input("target", Kind::integer)
                   .options<AnylossOptions>()
                   .attr("metric", &AnylossOptions::metric,
                         "fbeta | gmean (official TPR TNR) | gmean_sqrt | bacc | acc")
                   .attr("L", &AnylossOptions::L, "amplifier > 0 (required; paper: 73)")
                   .attr("beta", &AnylossOptions::beta, "F-beta's beta")
                   .own_reduction("one scalar per batch (a metric of the soft confusion matrix)")
                   .output("loss")
                   .run(anyloss));
}

}  // namespace lathe
