// mam_self_consistency_loss: MaM's marginal self-consistency penalty. For a random order sigma
// and a step d per sample b, the marginal network's log p_theta of the prefix x_{sigma(<d)} and
// of the extension x_{sigma(<=d)}, and the conditional log p_phi(x_{sigma(d)} | x_{sigma(<d)}):
//   r_b = logp_prefix_b + logp_cond_b - logp_extended_b,
//   num_vars = 0:  L = mean_b r_b^2                                   (nn.MSELoss),
//   num_vars = D:  L = D mean_b r_b^2 + mean (logp_empty)^2           (the training loss; the
//                  second term, when logp_empty is given, pins log p_theta(empty) to log 1 = 0).
// A scalar (its own reduction: the penalty and the pin are separate means).
// Paper: "Generative Marginalization Models" (MaM, Liu, Ramadge, Adams; catalog:
// generative.md, official code PrincetonLIPS/MaM README.md, mam/ MAM.eval_mar_bl_loss,
// MAM.eval_mar_bl_x_begin, MAM.forward). Order, step and the networks are the caller's.
// Gradient (autograd): 2 r / B (times D) to prefix and cond, minus that to the extension.
// Composite.
#include "losses/generative/generative.h"
#include "ops/composite.h"

namespace lathe {

Tensor mam_self_consistency_loss(const Tensor& logp_prefix, const Tensor& logp_cond,
                                 const Tensor& logp_extended,
                                 const MamSelfConsistencyLossOptions& o) {
  const char* op = "mam_self_consistency_loss";
  check_floating(op, "logp_prefix", logp_prefix);
  check_floating(op, "logp_cond", logp_cond);
  check_floating(op, "logp_extended", logp_extended);
  check_dim(op, "logp_prefix", logp_prefix, 1);
  check_same_shape(op, "logp_prefix", logp_prefix, "logp_cond", logp_cond);
  check_same_shape(op, "logp_prefix", logp_prefix, "logp_extended", logp_extended);
  LATHE_CHECK(o.num_vars >= 0, "[", op, "] num_vars must be >= 0, got ", o.num_vars);
  LATHE_CHECK(!o.logp_empty.defined() || o.num_vars > 0, "[", op,
              "] logp_empty belongs to the training loss: give num_vars > 0 with it");
  Tensor r = logp_prefix + logp_cond - logp_extended;                    // [B]
  Tensor pen = mean(r * r);                                              // []
  if (o.num_vars == 0) return pen;
  Tensor loss = double(o.num_vars) * pen;
  if (o.logp_empty.defined()) {
    check_floating(op, "logp_empty", o.logp_empty);
    loss = loss + mean(o.logp_empty * o.logp_empty);
  }
  return loss;
}

LATHE_REGISTER_OPS(mam_self_consistency_loss) {
  registry.add(OpDef("mam_self_consistency_loss", "generative")
                   .summary("MaM marginal self-consistency penalty mean (log p(x<d) + log p(xd|"
                            "x<d) - log p(x<=d))^2")
                   .paper("Generative Marginalization Models")
                   .input("logp_prefix")
                   .input("logp_cond")
                   .input("logp_extended")
                   .options<MamSelfConsistencyLossOptions>()
                   .input("logp_empty", &MamSelfConsistencyLossOptions::logp_empty,
                          Kind::floating, kOptional)
                   .attr("num_vars", &MamSelfConsistencyLossOptions::num_vars,
                         "D: 0 gives the plain penalty, else D mean r^2 (+ the empty pin)")
                   .own_reduction("a scalar: the penalty's batch mean plus the pin's mean")
                   .output("loss")
                   .run(mam_self_consistency_loss));
}

}  // namespace lathe
