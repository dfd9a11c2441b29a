// decoupled_softmax_loss: DEXML's decoupled softmax of similarity logits S [B, L] (already
// divided by the temperature) and a positive mask P [B, L] (bool). For each positive p of row
// i the other positives leave the denominator:
//   log pi_ip = S_ip - log(e^{S_ip} + sum_{l not in P_i} e^{S_il})
//   L = -(1/B) sum_i (1/max(|P_i|, 1)) sum_{p in P_i} w_ip log pi_ip     (w = 1 by default)
// A row without positives contributes 0 (and counts in B); a row of positives only has
// log pi = 0. Paper: "Dual-Encoders for Extreme Multi-Label Classification" (DEXML, ICLR 2024;
// code nilesh2797/DEXML losses.py SimLoss('decoupled-softmax'), as the catalog quotes it).
// NOTE: the reference fills masked entries with -100, the op with -inf (the difference is below
// e^-80 for |S| <= 20); loss_sample (one sampled positive per query) is the caller's sampling.
// Batch-level reduction as written (no 'none').
// Gradients: autograd (the mask and the weights are constants).
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor decoupled_softmax_loss(const Tensor& logits, const Tensor& positive_mask,
                              const DecoupledSoftmaxLossOptions& o) {
  const char* op = "decoupled_softmax_loss";
  pairs::check_embeddings(op, "logits", logits);
  LATHE_CHECK(positive_mask.defined() && positive_mask.dtype() == DType::boolean, "[", op,
              "] positive_mask must be a bool tensor");
  LATHE_CHECK(positive_mask.shape() == logits.shape(), "[", op, "] positive_mask ",
              positive_mask.shape(), " must have the logits' shape ", logits.shape());
  check_optional_shape(op, "weights", o.weights, logits.shape());
  const Shape shape = logits.shape();
  Tensor neg = logical_not(positive_mask);
  Tensor any_neg = gt(pairs::count(neg, 1, logits.dtype()), 0.0);                  // [B, 1]
  Tensor lse_neg = expand(pairs::masked_logsumexp(logits, neg, 1, false), shape);  // [B, L]
  Tensor both = logsumexp(stack({lse_neg, logits}, 0), {0});                       // [B, L]
  Tensor logp = logits - where(any_neg, both, logits);                             // [B, L]
  Tensor w = cast(positive_mask, logits.dtype());
  if (o.weights.defined()) w = w * o.weights.detach();
  Tensor npos = maximum(pairs::count(positive_mask, 1, logits.dtype()), 1.0);      // [B, 1]
  return -sum(sum(logp * w, {1}, true) / npos) / double(shape[0]);
}

LATHE_REGISTER_OPS(decoupled_softmax_loss) {
  registry.add(OpDef("decoupled_softmax_loss", "contrastive")
                   .summary("softmax per positive with the other positives removed (DEXML)")
                   .paper("Dual-Encoders for Extreme Multi-Label Classification")
                   .input("logits")
                   .input("positive_mask", Kind::boolean)
                   .options<DecoupledSoftmaxLossOptions>()
                   .input("weights", &DecoupledSoftmaxLossOptions::weights, Kind::floating,
                          kOptional | kNoGrad)
                   .output("loss")
                   .own_reduction("the mean over rows of each row's mean over its positives")
                   .run(decoupled_softmax_loss));
}

}  // namespace lathe
