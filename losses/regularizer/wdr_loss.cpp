// wdr_loss: EQ-Net's Weight Distribution Regularization, over the weight tensors W_l given:
//   zhat = (W - mean W) / std W   (unbiased std over all elements),
//   kurt_l = mean zhat^4,  skew_l = mean zhat^3
//   L = kurt_rate mean_l (kurt_l - 1.8)^2 + skew_rate mean_l (skew_l - 0)^2
// pulling every layer towards a uniform-like distribution (kurtosis 1.8, no skew), friendly to
// quantization. A scalar over the layers (the loss declares its own reduction).
// Paper: "EQ-Net: Elastic Quantization Neural Networks" (catalog: regularizer.md, confidence
// 'official code': xuke225/EQ-Net runner/criterion.py KurtosisLoss / SkewnessLoss, trainer.py,
// configs/train-supernet.yaml).
// Defaults: kurt_target 1.8, skew_target 0, kurt_rate 0.015, skew_rate 1. The trainer
// back-propagates the two terms separately; their sum has the same gradient.
// Decision: the reference regularizes every Conv2d/Linear/QAT weight except the first layer in
// module order (`del list[0]`); that choice of layers is the caller's, who passes the weights
// to regularize (a skipped tensor given to the op would get no gradient, not a zero one).
// Edge cases: constant weights (std 0) give inf/NaN as in the reference; no weight is refused.
// Gradient (autograd) through the standardization (mean and std depend on W).
// Composite.
#include "losses/regularizer/regularizer.h"
#include "ops/composite.h"
#include "ops/special/special.h"

namespace lathe {

Tensor wdr_loss(const std::vector<Tensor>& weights, const WdrLossOptions& o) {
  const char* op = "wdr_loss";
  LATHE_CHECK(!weights.empty(), "[", op, "] needs at least one weight tensor");
  std::vector<Tensor> kurt, skew;                                         // [] each
  for (size_t l = 0; l < weights.size(); ++l) {
    const Tensor& w = weights[l];
    check_floating(op, "weights", w);
    LATHE_CHECK(w.numel() > 1, "[", op, "] weight ", l, " needs > 1 element for its std, got ",
                w.shape());
    Tensor z = (w - mean(w)) / std_dev(w);
    Tensor z3 = z * z * z;
    kurt.push_back(pow(mean(z3 * z) - o.kurt_target, 2.0));
    skew.push_back(pow(mean(z3) - o.skew_target, 2.0));
  }
  return o.kurt_rate * mean(stack(kurt)) + o.skew_rate * mean(stack(skew));
}

LATHE_REGISTER_OPS(wdr_loss) {
  registry.add(OpDef("wdr_loss", "regularizer")
                   .summary("EQ-Net weight distribution regularization: kurtosis to 1.8, "
                            "skewness to 0")
                   .paper("EQ-Net: Elastic Quantization Neural Networks")
                   .input("weights", Kind::floating, kVariadic)
                   .options<WdrLossOptions>()
                   .attr("kurt_target", &WdrLossOptions::kurt_target, "target kurtosis")
                   .attr("skew_target", &WdrLossOptions::skew_target, "target skewness")
                   .attr("kurt_rate", &WdrLossOptions::kurt_rate, "weight of the kurtosis term")
                   .attr("skew_rate", &WdrLossOptions::skew_rate, "weight of the skewness term")
                   .own_reduction("a scalar, the mean over layers")
                   .output("loss")
                   .run([](const OpCall& c) {
                     return Outputs{wdr_loss(c.ins("weights"), c.options<WdrLossOptions>())};
                   }));
}

}  // namespace lathe
