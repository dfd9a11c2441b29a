// w2s_product_loss: the weak-to-strong repository's product loss, strong model logits
// z [B, C], weak soft labels w [B, C] (the "teacher", detached):
//   q = sg(p^beta w^alpha / sum_c p^beta w^alpha),  p = softmax(z),  L = mean_b CE(z_b, q_b).
// Paper: "Weak-to-Strong Generalization: Eliciting Strong Capabilities With Weak Supervision"
// (Burns et al., 2023); code openai/weak-to-strong weak_to_strong/loss.py (product_loss_fn)
// (catalog: distillation.md). Defaults: alpha 1, beta 1.
// Backward: q is a detached function of z (the defined backward is CE's with q fixed).
// The product is formed in log space, beta log_softmax(z) + alpha log w, then a softmax:
// the same q without the underflow of p^beta; a weak label of 0 gives q = 0 for its class
// (log 0 = -inf is exp'ed to 0; the weak labels are constants, so no gradient meets it).
// Reduction: mean over the batch. Composite.
#include "losses/distill/common.h"
#include "losses/distill/other.h"

namespace lathe {

Tensor w2s_product_loss(const Tensor& logits, const Tensor& teacher,
                        const W2sProductOptions& o) {
  const char* op = "w2s_product_loss";
  check_floating(op, "logits", logits);
  check_floating(op, "teacher", teacher);
  LATHE_CHECK(logits.dim() == 2 && logits.shape() == teacher.shape(), "[", op,
              "] logits and weak labels must be [B, C] of one shape, got ", logits.shape(),
              " and ", teacher.shape());
  Tensor ls = log_softmax(logits, 1);                                     // [B, C]
  Tensor q;                                                               // [B, C]
  {
    NoGradGuard no_grad;
    Tensor lw = o.alpha == 0.0 ? zeros_like(teacher) : log(teacher.detach()) * o.alpha;
    q = softmax(ls.detach() * o.beta + lw, 1);
  }
  return mean(-sum(q * ls, {1}));
}

LATHE_REGISTER_OPS(w2s_product_loss) {
  registry.add(OpDef("w2s_product_loss", "distillation")
                   .summary("CE against the detached, renormalized product p^beta w^alpha of the "
                            "model's and the weak labels' probabilities")
                   .paper("Weak-to-Strong Generalization: Eliciting Strong Capabilities With "
                          "Weak Supervision")
                   .input("logits")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<W2sProductOptions>()
                   .attr("alpha", &W2sProductOptions::alpha, "exponent of the weak labels")
                   .attr("beta", &W2sProductOptions::beta, "exponent of the model's probabilities")
                   .output("loss")
                   .custom_backward("defined backward: CE's gradient (softmax(z) - q) / B with "
                                    "the target q held fixed (q = sg(...), as the reference)")
                   .own_reduction("mean over the batch of the soft-target CE")
                   .run(w2s_product_loss));
}

}  // namespace lathe
