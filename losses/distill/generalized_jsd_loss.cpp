// generalized_jsd_loss: the generalized Jensen-Shannon divergence of on-policy distillation
// (GKD), student logits s [..., V], teacher logits t [..., V] (detached), optional labels [...]:
//   log p^s = log_softmax(s / T), log p^t = log_softmax(t / T),
//   m = beta p^t + (1 - beta) p^s   (log m by a logsumexp of the two, never log of a sum),
//   l_n = beta KL(p^t || m) + (1 - beta) KL(p^s || m)          for 0 < beta < 1,
//   l_n = KL(p^t || p^s) for beta = 0 (forward KL), KL(p^s || p^t) for beta = 1 (reverse KL),
// tokens whose label is ignore_index give 0; reduced 'mean' over the kept tokens (default),
// 'sum' or 'none'. beta = 0.5 is the symmetric JSD. No T^2 factor.
// Paper: "On-Policy Distillation of Language Models: Learning from Self-Generated Mistakes"
// (Agarwal et al., ICLR 2024), https://arxiv.org/abs/2306.13649; the same definition as
// TRL's GKDTrainer.generalized_jsd_loss and Liger-Kernel's JSD (beta, temperature).
// NOTE: the end points are the limits' *ratios*, not the limits: the JSD tends to 0 as beta
// goes to 0 or 1, and GKD (as TRL) switches to the plain KLs there; lathe follows it.
// Defaults: beta 0.5, T 1, ignore_index -100. Composite.
#include <cmath>

#include "losses/distill/common.h"
#include "losses/distill/logit.h"

namespace lathe {

using namespace distill;

Tensor generalized_jsd_loss(const Tensor& student, const Tensor& teacher,
                            const TokenKdOptions& o) {
  const char* op = "generalized_jsd_loss";
  check_token_logits(op, student, teacher);
  check_temperature(op, o.temperature);
  LATHE_CHECK(o.beta >= 0 && o.beta <= 1, "[", op, "] beta must lie in [0, 1], got ", o.beta);
  Reduction reduction = parse_reduction(op, o.reduction);
  Shape tokens = student.shape();
  tokens.erase(tokens.size() - 1);
  Tensor kept = kept_tokens(op, o.labels, o.ignore_index, tokens, student);   // [...]
  Tensor ls = log_softmax(student / o.temperature, -1);                     // [..., V]
  Tensor lt = log_softmax(teacher.detach() / o.temperature, -1);            // [..., V]
  Tensor rows;                                                              // [...]
  if (o.beta == 0.0) {
    rows = sum(exp(lt) * (lt - ls), {-1});
  } else if (o.beta == 1.0) {
    rows = sum(exp(ls) * (ls - lt), {-1});
  } else {
    Tensor lm = logsumexp(stack({lt + std::log(o.beta), ls + std::log(1.0 - o.beta)}, 0),
                          {0});                                             // [..., V]
    rows = sum(exp(lt) * (lt - lm), {-1}) * o.beta +
           sum(exp(ls) * (ls - lm), {-1}) * (1.0 - o.beta);
  }
  return reduce_tokens(rows, kept, reduction);
}

LATHE_REGISTER_OPS(generalized_jsd_loss) {
  registry.add(OpDef("generalized_jsd_loss", "distillation")
                   .summary("token-level generalized JSD of GKD: beta KL(p^t || m) + (1 - beta) "
                            "KL(p^s || m), m = beta p^t + (1 - beta) p^s")
                   .paper("On-Policy Distillation of Language Models: Learning from "
                          "Self-Generated Mistakes")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<TokenKdOptions>()
                   .input("labels", &TokenKdOptions::labels, Kind::integer, kOptional)
                   .attr("beta", &TokenKdOptions::beta,
                         "mixture weight in [0, 1]: 0 forward KL, 1 reverse KL")
                   .attr("temperature", &TokenKdOptions::temperature,
                         "softening temperature T > 0 (no T^2 factor)")
                   .attr("ignore_index", &TokenKdOptions::ignore_index,
                         "tokens whose label equals it contribute nothing")
                   .attr("reduction", &TokenKdOptions::reduction,
                         "none | mean (over kept tokens) | sum")
                   .output("loss")
                   .run(generalized_jsd_loss));
}

}  // namespace lathe
