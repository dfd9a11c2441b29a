// causal_lm_cross_entropy: the next-token cross-entropy of a causal LM. Logits [B, T, V],
// labels [B, T] (int); with shift (Hugging Face's convention) position t predicts token t + 1:
//   L = CE(logits[:, :-1], labels[:, 1:]),
// labels equal to ignore_index (-100: prompt, padding, media placeholders) contribute 0.
// Without shift the labels are taken as already shifted (corenet passes them so, with
// ignore_index -1).
// Papers: "Unleashing the Power of Pre-trained Language Models for Offline Reinforcement
// Learning" (LaMo's auxiliary LM loss); "KV Prediction for Improved Time to First Token"; "Hawk:
// Learning to Understand Open-World Video Anomalies"; "Advancing Language Model Reasoning
// through Reinforcement Learning and Inference Scaling" (catalog: lm.md, official code
// srzer/LaMo-2023 seq_trainer.py, apple/corenet cross_entropy_for_kv_prediction.py).
// Defaults: shift true, ignore_index -100, reduction 'mean'.
// Reduction: 'mean' over every non-ignored token of the batch (not a mean of per-sequence
// means); 'sum'; 'none' gives [B, T - 1] (with shift; [B, T] without), 0 at ignored tokens.
// T = 1 with shift leaves no token: the loss is 0 ('none': [B, 0]); every token ignored gives
// 0 with zero gradients (PyTorch: NaN), as the loss contract asks.
// Gradient (autograd): softmax(z) - e_y on the kept positions, / n_valid for 'mean'.
// Composite over cross_entropy (whose nll runs through the fused softmax_cross_entropy).
#include "losses/classification/classification.h"
#include "losses/lm/lm_more.h"
#include "ops/composite.h"

namespace lathe {

Tensor causal_lm_cross_entropy(const Tensor& logits, const Tensor& labels,
                               const CausalLmCrossEntropyOptions& o) {
  const char* op = "causal_lm_cross_entropy";
  check_floating(op, "logits", logits);
  check_dim(op, "logits", logits, 3);
  Reduction r = parse_reduction(op, o.reduction);
  const int64_t b = logits.size(0), t = logits.size(1), v = logits.size(2);
  const Shape want = {b, t};
  LATHE_CHECK(labels.defined() && is_integral(labels.dtype()) && labels.shape() == want,
              "[", op, "] labels must be integers [", b, ", ", t, "], got ",
              labels.defined() ? labels.shape() : Shape{});
  for (int64_t k : labels.to(DType::i64).to_vector<int64_t>())
    LATHE_CHECK(k == o.ignore_index || (k >= 0 && k < v), "[", op, "] label ", k,
                " out of range [0, ", v, ") and not ignore_index ", o.ignore_index);
  Tensor z = logits, y = labels.to(DType::i64);
  if (o.shift) {
    z = narrow(z, 1, 0, t - 1);                                         // [B, T-1, V]
    y = narrow(y, 1, 1, t - 1);                                         // [B, T-1]
  }
  if (y.numel() == 0) {  // T = 1 with shift: no token to predict
    Tensor none = sum(z, {2});                                          // [B, 0]
    return r == Reduction::none ? none : sum(none);
  }
  CrossEntropyOptions ce;
  ce.ignore_index = o.ignore_index;
  ce.reduction = reduction_name(r);
  Tensor l = cross_entropy(reshape(z, {-1, v}), reshape(y, {-1}), ce);  // [N] or []
  return r == Reduction::none ? reshape(l, y.shape()) : l;
}

LATHE_REGISTER_OPS(causal_lm_cross_entropy) {
  registry.add(OpDef("causal_lm_cross_entropy", "lm")
                   .summary("next-token cross-entropy of LM logits, labels shifted by one")
                   .paper("Unleashing the Power of Pre-trained Language Models for Offline "
                          "Reinforcement Learning; KV Prediction for Improved Time to First "
                          "Token; Hawk: Learning to Understand Open-World Video Anomalies; "
                          "Advancing Language Model Reasoning through Reinforcement Learning "
                          "and Inference Scaling")
                   .input("logits")
                   .input("labels", Kind::integer)
                   .options<CausalLmCrossEntropyOptions>()
                   .attr("ignore_index", &CausalLmCrossEntropyOptions::ignore_index,
                         "labels equal to it are ignored")
                   .attr("shift", &CausalLmCrossEntropyOptions::shift,
                         "position t predicts label t + 1 (Hugging Face)")
                   .attr("reduction", &CausalLmCrossEntropyOptions::reduction,
                         "none ([B, T-1]) | mean (over valid tokens) | sum")
                   .output("loss")
                   .run(causal_lm_cross_entropy));
}

}  // namespace lathe
