// reverse_kl_loss: token-level reverse KL for LLM distillation, student logits s [..., V],
// teacher logits t [..., V] (detached), optional labels [...]:
//   l_n = sum_v p^s_nv (log p^s_nv - log p^t_nv),  p^s = softmax(s / T), p^t = softmax(t / T),
// tokens whose label is ignore_index give 0; reduced 'mean' over the kept tokens (default),
// 'sum' or 'none'. No T^2 factor. Mode-seeking: the student is pushed onto the teacher's modes.
// Sources: "MiniLLM: Knowledge Distillation of Large Language Models" (Gu et al., 2023, the
// reverse-KL objective); the token-level, ignore_index-masked form of torchtune
// (modules/loss/kd_losses.py ReverseKLLoss) and TRL (GKD, beta = 1).
// NOTE: torchtune returns sum p^s (log p^s - log p^t) as here. The gradient flows through p^s
// as well as log p^s (autograd: p^s_v (log p^s_v - log p^t_v - l_n) / T). Composite.
#include "losses/distill/common.h"
#include "losses/distill/logit.h"

namespace lathe {

using namespace distill;

Tensor reverse_kl_loss(const Tensor& student, const Tensor& teacher, const TokenKdOptions& o) {
  const char* op = "reverse_kl_loss";
  check_token_logits(op, student, teacher);
  check_temperature(op, o.temperature);
  Reduction reduction = parse_reduction(op, o.reduction);
  Shape tokens = student.shape();
  tokens.erase(tokens.size() - 1);
  Tensor kept = kept_tokens(op, o.labels, o.ignore_index, tokens, student);   // [...]
  Tensor ls = log_softmax(student / o.temperature, -1);                     // [..., V]
  Tensor lt = log_softmax(teacher.detach() / o.temperature, -1);            // [..., V]
  Tensor rows = sum(exp(ls) * (ls - lt), {-1});                             // [...]
  return reduce_tokens(rows, kept, reduction);
}

LATHE_REGISTER_OPS(reverse_kl_loss) {
  registry.add(OpDef("reverse_kl_loss", "distillation")
                   .summary("token-level KL(softmax(student/T) || softmax(teacher/T)) with "
                            "ignore_index")
                   .paper("MiniLLM: Knowledge Distillation of Large Language Models")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<TokenKdOptions>()
                   .input("labels", &TokenKdOptions::labels, Kind::integer, kOptional)
                   .attr("temperature", &TokenKdOptions::temperature,
                         "softening temperature T > 0 (no T^2 factor)")
                   .attr("ignore_index", &TokenKdOptions::ignore_index,
                         "tokens whose label equals it contribute nothing")
                   .attr("reduction", &TokenKdOptions::reduction,
                         "none | mean (over kept tokens) | sum")
                   .output("loss")
                   .run(reverse_kl_loss));
}

}  // namespace lathe
