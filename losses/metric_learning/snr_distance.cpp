// snr_distance: the signal-to-noise-ratio distance of deep metric learning. The anchor is the
// signal and the difference the noise, with variances over the feature axis:
//   d(a_i, b_j) = Var_D(b_j - a_i) / Var_D(a_i)        [Na, Nb], asymmetric
// Paper: "Signal-to-Noise Ratio: A Robust Distance Metric for Deep Metric Learning" (Yuan et
// al., CVPR 2019); pytorch-metric-learning distances/SNRDistance matches it. The Bessel factor
// cancels in the ratio. A constant anchor (Var 0: an infinite distance) and D < 2 are errors.
// It returns no loss, so it registers in family nn (like temperature_scaling); the loss built
// on it is dsml_snr_contrastive_loss. Gradients: autograd, through the [Na, Nb, D] differences
// (fine at embedding-batch size).
#include "losses/metric_learning/metric_learning_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor snr_distance(const Tensor& a, const Tensor& b) {
  const char* op = "snr_distance";
  pairs::check_embeddings(op, "a", a);
  pairs::check_embeddings(op, "b", b);
  check_shape(op, "b", b, {b.size(0), a.size(1)});
  LATHE_CHECK(a.size(1) >= 2, "[", op, "] the feature axis needs at least 2 entries, got ",
              a.size(1));
  Tensor signal = var(a, {1}, 1.0, true);                                      // [Na, 1]
  const double least = cast(min(signal.detach()), DType::f64).cpu().to_vector<double>()[0];
  LATHE_CHECK(least > 0.0, "[", op, "] an anchor row is constant (its variance is 0)");
  Tensor noise = var(b.unsqueeze(0) - a.unsqueeze(1), {2}, 1.0, false);        // [Na, Nb]
  return noise / signal;
}

LATHE_REGISTER_OPS(snr_distance) {
  registry.add(OpDef("snr_distance", "nn")
                   .summary("signal-to-noise-ratio distances Var(b - a) / Var(a) (metric "
                            "learning)")
                   .paper("Signal-to-Noise Ratio: A Robust Distance Metric for Deep Metric "
                          "Learning")
                   .input("a")
                   .input("b")
                   .output("y")
                   .run(snr_distance));
}

}  // namespace lathe
