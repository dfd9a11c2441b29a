// topk_kd_loss: forward KL for LLM distillation against a teacher stored as its top-k logits
// per token, student logits s [..., V], teacher values v [..., k] (logits or log-probabilities,
// detached) at vocabulary ids i [..., k], optional labels [...]:
//   log q = log_softmax(v / T) over the k kept entries (the teacher renormalized on its top-k),
//   l_n = sum_j q_nj (log q_nj - log_softmax(s_n / T)_{i_nj}),
// the student normalized over the whole vocabulary; tokens whose label is ignore_index give 0
// (their ids are not read); reduced 'mean' over the kept tokens (default), 'sum' or 'none'.
// With k = V (every id once) it is forward_kl_loss. No T^2 factor.
// Sources: the sparse (top-k) teacher logits of offline LLM distillation, e.g. "Sparse Logit
// Sampling: Accelerating Knowledge Distillation in LLMs" (Anshumann et al., 2025), which
// analyses this top-k estimator; arcee-ai DistillKit stores teacher top-k logits the same way.
// NOTE: the top-k estimator is biased (the teacher's tail mass is dropped and the rest
// renormalized); log-probabilities and logits give the same q, so either may be stored.
// Defaults: T 1, ignore_index -100. Composite.
#include "losses/distill/common.h"
#include "losses/distill/logit.h"

namespace lathe {

using namespace distill;

Tensor topk_kd_loss(const Tensor& student, const Tensor& teacher_values,
                    const TopkKdOptions& o) {
  const char* op = "topk_kd_loss";
  check_floating(op, "student", student);
  check_floating(op, "teacher", teacher_values);
  check_temperature(op, o.temperature);
  Reduction reduction = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.teacher_indices.defined(), "[", op, "] teacher_indices are missing");
  const Tensor& ids = o.teacher_indices;
  LATHE_CHECK(is_integral(ids.dtype()), "[", op, "] teacher_indices must be integers, got ",
              ids.dtype());
  int64_t d = student.dim();
  LATHE_CHECK(d >= 1 && teacher_values.dim() == d && ids.shape() == teacher_values.shape(), "[",
              op, "] teacher values and indices must be [..., k] of one shape with the "
              "student's [..., V], got ", teacher_values.shape(), ", ", ids.shape(), " and ",
              student.shape());
  Shape tokens = student.shape();
  tokens.erase(tokens.size() - 1);
  Shape t_tokens = teacher_values.shape();
  t_tokens.erase(t_tokens.size() - 1);
  int64_t v = student.shape()[d - 1], k = teacher_values.shape()[d - 1];
  LATHE_CHECK(t_tokens == tokens && k >= 1 && k <= v, "[", op, "] the teacher's top-k ",
              teacher_values.shape(), " must match the student's tokens and vocabulary ",
              student.shape(), " (1 <= k <= V)");
  Tensor kept = kept_tokens(op, o.labels, o.ignore_index, tokens, student);   // [...]
  Tensor keep_ids = ne(unsqueeze(kept, -1), 0.0);                            // [..., 1]
  Tensor safe = where(keep_ids, ids.to(DType::i64), scalar_like(0, ids.to(DType::i64)));
  if (safe.numel() > 0) {
    int64_t lo = static_cast<int64_t>(min(safe).item());
    int64_t hi = static_cast<int64_t>(max(safe).item());
    LATHE_CHECK(lo >= 0 && hi < v, "[", op, "] teacher_indices must lie in [0, ", v, "), got ",
                lo < 0 ? lo : hi);
  }
  Tensor ls = log_softmax(student / o.temperature, -1);                     // [..., V]
  Tensor lsk = gather(ls, safe, d - 1);                                     // [..., k]
  Tensor lq = log_softmax(teacher_values.detach() / o.temperature, -1);     // [..., k]
  Tensor rows = sum(exp(lq) * (lq - lsk), {-1});                            // [...]
  return reduce_tokens(rows, kept, reduction);
}

LATHE_REGISTER_OPS(topk_kd_loss) {
  registry.add(OpDef("topk_kd_loss", "distillation")
                   .summary("token-level forward KL against the teacher's top-k (indices, "
                            "logits), renormalized over k")
                   .paper("Sparse Logit Sampling: Accelerating Knowledge Distillation in LLMs")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<TopkKdOptions>()
                   .input("teacher_indices", &TopkKdOptions::teacher_indices, Kind::integer)
                   .input("labels", &TopkKdOptions::labels, Kind::integer, kOptional)
                   .attr("temperature", &TopkKdOptions::temperature,
                         "softening temperature T > 0 (no T^2 factor)")
                   .attr("ignore_index", &TopkKdOptions::ignore_index,
                         "tokens whose label equals it contribute nothing")
                   .attr("reduction", &TopkKdOptions::reduction,
                         "none | mean (over kept tokens) | sum")
                   .output("loss")
                   .run(topk_kd_loss));
}

}  // namespace lathe
