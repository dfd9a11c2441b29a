// kl_divergence: KL(p || q) = sum_c p_c (log p_c - log q_c) of log-probabilities x = log q
// (input) and probabilities p (target), same shape [B, ...], with 0 log 0 = 0 on the target
// side (PyTorch's F.kl_div(input = log q, target = p) convention; log_target passes log p).
// symmetric adds KL(q || p) = sum_c q_c (log q_c - log p_c) (the symmetric KL of "Focus the
// Discrepancy"). Reduction 'batchmean' (default: the sum over the batch size, the divergence per
// sample), 'sum', 'none' (elementwise), or 'mean' over every element (divides by B C: the common
// factor-C slip, kept because mtard_loss reproduces it).
// Papers: "Scaling Laws for Autoregressive Generative Modeling"; "Focus the Discrepancy:
// Intra- and Inter-Correlation Learning for Image Anomaly Detection"; "Source-Free Domain
// Adaptation for Image Segmentation" (catalog: divergence.md, confidence 'standard').
// Defaults: reduction 'batchmean', log_target false, symmetric false.
// Gradients (autograd): d/dlog q = -p (+ q (log q - log p + 1) when symmetric); d/dp =
// log p - log q + 1 (- q / p when symmetric). Both inputs are differentiable. A zero p gives a
// 0 term in KL(p || q) (its gradient there is -log q); the symmetric term needs p > 0.
// Composite over kl_div (losses/classification/kl_div.cpp).
#include "losses/classification/parity.h"
#include "losses/divergence/divergence.h"
#include "ops/composite.h"

namespace lathe {

Tensor kl_divergence(const Tensor& input, const Tensor& target, const KlDivergenceOptions& o) {
  const char* op = "kl_divergence";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  bool batchmean = o.reduction == "batchmean";
  Reduction r = batchmean ? Reduction::sum : parse_reduction(op, o.reduction);
  std::string inner = reduction_name(r);
  Tensor loss = kl_div(input, target, {inner, o.log_target});            // KL(p || q)
  if (o.symmetric) {
    Tensor log_p = o.log_target ? target : log(target);                  // [B, ...]
    loss = loss + kl_div(log_p, exp(input), {inner, false});             // + KL(q || p)
  }
  if (batchmean && input.dim() > 0) loss = loss / static_cast<double>(input.shape()[0]);
  return loss;
}

LATHE_REGISTER_OPS(kl_divergence) {
  registry.add(OpDef("kl_divergence", "divergence")
                   .summary("KL(p || q) of log-probabilities log q from probabilities p, "
                            "optionally symmetric")
                   .paper("Scaling Laws for Autoregressive Generative Modeling; Focus the "
                          "Discrepancy: Intra- and Inter-Correlation Learning for Image Anomaly "
                          "Detection; Source-Free Domain Adaptation for Image Segmentation")
                   .input("input")
                   .input("target")
                   .options<KlDivergenceOptions>()
                   .attr("reduction", &KlDivergenceOptions::reduction,
                         "none | batchmean (sum / batch size) | mean (every element) | sum")
                   .attr("log_target", &KlDivergenceOptions::log_target,
                         "the target holds log-probabilities")
                   .attr("symmetric", &KlDivergenceOptions::symmetric,
                         "add KL(q || p)")
                   .own_reduction("'batchmean' (the default): the sum over the batch size, the "
                                  "KL divergence per sample")
                   .output("loss")
                   .run(kl_divergence));
}

}  // namespace lathe
