// forward_kl_loss: token-level forward KL for LLM distillation, student logits s [..., V],
// teacher logits t [..., V] (detached), optional labels [...]:
//   l_n = sum_v p^t_nv (log p^t_nv - log p^s_nv),  p^t = softmax(t / T), p^s = softmax(s / T),
// tokens whose label is ignore_index give 0; reduced 'mean' over the kept tokens (default),
// 'sum' or 'none'. No T^2 factor (multiply by T^2 for Hinton's scaling).
// Sources: "Distilling the Knowledge in a Neural Network" (the divergence); the token-level,
// ignore_index-masked form of torchtune (modules/loss/kd_losses.py ForwardKLLoss) and TRL
// (GKD, beta = 0).
// NOTE: torchtune returns the cross-entropy -sum p^t log p^s, which is this KL plus the
// teacher's entropy (a constant: same gradient); lathe returns the KL, which is 0 when the
// student matches. Gradient: (p^s - p^t) / T per kept token, over the mean's count. Composite.
#include "losses/distill/common.h"
#include "losses/distill/logit.h"

namespace lathe {

using namespace distill;

Tensor forward_kl_loss(const Tensor& student, const Tensor& teacher, const TokenKdOptions& o) {
  const char* op = "forward_kl_loss";
  check_token_logits(op, student, teacher);
  check_temperature(op, o.temperature);
  Reduction reduction = parse_reduction(op, o.reduction);
  Shape tokens = student.shape();
  tokens.erase(tokens.size() - 1);
  Tensor kept = kept_tokens(op, o.labels, o.ignore_index, tokens, student);   // [...]
  Tensor ls = log_softmax(student / o.temperature, -1);                     // [..., V]
  Tensor lt = log_softmax(teacher.detach() / o.temperature, -1);            // [..., V]
  Tensor rows = sum(exp(lt) * (lt - ls), {-1});                             // [...]
  return reduce_tokens(rows, kept, reduction);
}

LATHE_REGISTER_OPS(forward_kl_loss) {
  registry.add(OpDef("forward_kl_loss", "distillation")
                   .summary("token-level KL(softmax(teacher/T) || softmax(student/T)) with "
                            "ignore_index")
                   .paper("Distilling the Knowledge in a Neural Network")
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
                   .run(forward_kl_loss));
}

}  // namespace lathe
