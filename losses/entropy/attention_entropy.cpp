// attention_entropy: the entropy of every row of attention probabilities A [..., Lq, Lk]
//   Ent_i = -sum_j A_ij log(A_ij + delta)               delta = 1e-9
// one value per row [..., Lq], reduced 'none' (default), 'mean' (the per-head diagnostic of
// "Stabilizing Transformer Training by Preventing Attention Entropy Collapse" is the mean over
// batch and queries of one head) or 'sum'. The maximum is log Lk (the normalizer the papers use,
// even for causal rows that are shorter in effect).
// Papers: "Stabilizing Transformer Training by Preventing Attention Entropy Collapse";
// "Entropy-Guided Attention for Private LLMs"; "AEM: Attention Entropy Maximization for
// Multiple Instance Learning based Whole Slide Image Classification"; "Focus the Discrepancy"
// (catalog: entropy.md, confidence 'official code': Nandan91/entropy-guided-attention-llm
// entropy_regularization.py, dazhangyu123/AEM main.py).
// Defaults: delta 1e-9, reduction 'none'.
// Decision: the reference sums with nansum; finite probabilities give no NaN here (delta keeps
// log finite at A = 0), so a plain sum is the same value and a NaN input stays visible.
// Gradient (autograd): dEnt/dA_ij = -(log(A_ij + delta) + A_ij / (A_ij + delta)). Masked
// (exactly zero) weights contribute 0 and a finite gradient. When A comes from a softmax,
// prediction_entropy on the logits is the more stable route.
// Composite.
#include "losses/entropy/entropy.h"
#include "ops/composite.h"

namespace lathe {

Tensor attention_entropy(const Tensor& attn, const AttentionEntropyOptions& o) {
  const char* op = "attention_entropy";
  check_floating(op, "attn", attn);
  LATHE_CHECK(attn.dim() >= 1, "[", op, "] attn must hold rows [..., Lk], got a scalar");
  LATHE_CHECK(o.delta >= 0, "[", op, "] delta must be >= 0, got ", o.delta);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor ent = -sum(attn * log(attn + o.delta), {-1});                   // [..., Lq]
  return apply_reduction(ent, r);
}

LATHE_REGISTER_OPS(attention_entropy) {
  registry.add(OpDef("attention_entropy", "entropy")
                   .summary("entropy -sum A log(A + delta) of every attention row")
                   .paper("Stabilizing Transformer Training by Preventing Attention Entropy "
                          "Collapse; Entropy-Guided Attention for Private LLMs; AEM: Attention "
                          "Entropy Maximization for Multiple Instance Learning based Whole Slide "
                          "Image Classification; Focus the Discrepancy: Intra- and "
                          "Inter-Correlation Learning for Image Anomaly Detection")
                   .input("attn")
                   .options<AttentionEntropyOptions>()
                   .attr("delta", &AttentionEntropyOptions::delta,
                         "added inside the log (masked zero weights)")
                   .attr("reduction", &AttentionEntropyOptions::reduction,
                         "none | mean | sum over rows")
                   .output("loss")
                   .run(attention_entropy));
}

}  // namespace lathe
