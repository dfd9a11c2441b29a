// prediction_entropy: the softmax entropy of logits z [B, C, d1, ...] over the class axis dim 1
//   H(z) = -sum_c softmax(z)_c log_softmax(z)_c        (nats; / log C when normalized)
// one value per sample and position [B, d1, ...] (per-pixel entropy of a segmentation map),
// reduced 'none' (default), 'mean' or 'sum' over those values. Classes laid out last
// ([B, T, V]) must be moved to dim 1 by the caller: the op never reduces the last axis of a
// >= 3-D input.
// Papers: "Entropy is not Enough for Test-Time Adaptation" (DeYO); "Towards Open-Set Test-Time
// Adaptation Utilizing the Wisdom of Crowds in Entropy Minimization"; "Towards Robust and
// Efficient Cloud-Edge Elastic Model Adaptation via Selective Entropy Distillation";
// "Source-Free Domain Adaptation for Image Segmentation"; "Intriguing Properties of Adversarial
// Examples" (catalog: entropy.md, confidence 'official code': Jhyun17/DeYO methods/deyo.py
// softmax_entropy, -(x.softmax(1) * x.log_softmax(1)).sum(1)).
// Defaults: normalized false, reduction 'none'.
// Gradient (autograd): dH/dz_k = -p_k (log p_k + H). Built from log_softmax, so saturated
// logits (+-1e4) give H = 0 without NaN (p = 0 meets a finite log p). C = 1 gives 0 (and
// normalized is refused there: log 1 = 0).
// Composite.
#include "losses/entropy/entropy.h"
#include "ops/composite.h"
#include "ops/nn/nn.h"

#include <cmath>

namespace lathe {

Tensor prediction_entropy(const Tensor& input, const PredictionEntropyOptions& o) {
  const char* op = "prediction_entropy";
  check_floating(op, "input", input);
  LATHE_CHECK(input.dim() >= 2, "[", op, "] input must be logits [B, C, ...] (classes on dim "
              "1), got ", input.shape());
  Reduction r = parse_reduction(op, o.reduction);
  int64_t c = input.shape()[1];
  LATHE_CHECK(!o.normalized || c > 1, "[", op, "] normalized needs C > 1 classes (log C), got ",
              input.shape());
  Tensor log_p = log_softmax(input, 1);                                  // [B, C, ...]
  Tensor h = -sum(exp(log_p) * log_p, {1});                              // [B, ...]
  if (o.normalized) h = h / std::log(static_cast<double>(c));
  return apply_reduction(h, r);
}

LATHE_REGISTER_OPS(prediction_entropy) {
  registry.add(OpDef("prediction_entropy", "entropy")
                   .summary("softmax entropy of logits over the class axis dim 1, per sample "
                            "and position")
                   .paper("Entropy is not Enough for Test-Time Adaptation: From the Perspective "
                          "of Disentangled Factors; Towards Open-Set Test-Time Adaptation "
                          "Utilizing the Wisdom of Crowds in Entropy Minimization; Towards "
                          "Robust and Efficient Cloud-Edge Elastic Model Adaptation via "
                          "Selective Entropy Distillation; Source-Free Domain Adaptation for "
                          "Image Segmentation; Intriguing Properties of Adversarial Examples")
                   .input("input")
                   .options<PredictionEntropyOptions>()
                   .attr("normalized", &PredictionEntropyOptions::normalized,
                         "divide by log C")
                   .attr("reduction", &PredictionEntropyOptions::reduction,
                         "none | mean | sum over samples and positions")
                   .output("loss")
                   .run(prediction_entropy));
}

}  // namespace lathe
