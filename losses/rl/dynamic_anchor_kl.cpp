// dynamic_anchor_kl: the KL regularizer of T1 towards a *dynamic* anchor, a copy of the policy
// that is reset to the current policy every `every` optimizer steps instead of the frozen SFT
// model. Per response token, the full-vocabulary KL(pi || pi_anchor):
//   KL_bt = sum_v pi_btv (log pi_btv - log pi_anchor_btv)
//   L = beta sum_bt M_bt KL_bt / sum_bt M_bt                 logits, anchor_logits [B, T, V]
// A masked token mean (the loss declares its own reduction); an all-false mask gives 0.
// State (DESIGN rule 9): `step` ([] floating, a non-negative integer), returned as step + 1.
// When step % every == 0 the anchor is reset at this step: the op uses the policy itself as
// the anchor (anchor_logits are ignored; the loss and its derivatives are exactly 0) and the
// caller copies the policy's parameters into its anchor model (DynamicAnchor in
// losses/rl/procedures.h does both halves: the counter and the copy).
// Paper: "Advancing Language Model Reasoning through Reinforcement Learning and Inference
// Scaling" (T1, Hou et al., 2025) (catalog: rl_alignment.md, confidence 'memory').
// Checked (Dec 2026): the arXiv abstract (2501.11651v1) says only "an entropy bonus as an
// auxiliary loss, alongside a dynamic anchor for regularization"; THUDM/T1 holds a README and
// no training code. Periodic reset (rather than a moving average), the full-vocabulary KL,
// beta and the period are the catalog's recollection, kept as attributes: beta 0.01 and
// every 100 are placeholders, not the paper's values.
// The anchor is a constant (detached). Composite.
#include <cmath>

#include "losses/rl/preference.h"
#include "losses/rl/rl.h"
#include "ops/composite.h"
#include "ops/nn/nn.h"

namespace lathe {

DynamicAnchorKlResult dynamic_anchor_kl(const Tensor& logits, const Tensor& anchor_logits,
                                        const Tensor& step, const DynamicAnchorKlOptions& o) {
  const char* op = "dynamic_anchor_kl";
  check_floating(op, "logits", logits);
  check_dim(op, "logits", logits, 3);
  check_floating(op, "anchor_logits", anchor_logits);
  check_same_shape(op, "logits", logits, "anchor_logits", anchor_logits);
  check_floating(op, "step", step);
  check_shape(op, "step", step, {});
  LATHE_CHECK(o.every >= 1, "[", op, "] every must be >= 1, got ", o.every);
  double s = step.item();
  LATHE_CHECK(s >= 0.0 && s == std::floor(s), "[", op,
              "] step must hold a non-negative integer, got ", s);
  Shape bt{logits.shape()[0], logits.shape()[1]};
  Tensor m = rl_detail::token_mask(op, o.mask, logits, bt);             // [B, T]
  Tensor loss;
  if (static_cast<int64_t>(s) % o.every == 0) {
    // KL(pi || pi) is 0 for every logits: zero with a graph, its derivatives of every order 0.
    loss = sum(logits) * 0.0;
  } else {
    Tensor lp = log_softmax(logits, -1);                                // [B, T, V]
    Tensor lq = log_softmax(anchor_logits.detach(), -1);                // [B, T, V]
    Tensor kl = sum(exp(lp) * (lp - lq), {-1});                         // [B, T]
    loss = o.beta * sum(kl * m) / clamp(sum(m), 1.0);
  }
  NoGradGuard no_grad;
  return {loss, step.detach() + 1.0};
}

LATHE_REGISTER_OPS(dynamic_anchor_kl) {
  using O = DynamicAnchorKlOptions;
  registry.add(OpDef("dynamic_anchor_kl", "rl_alignment")
                   .summary("beta times the masked token mean of KL(policy || anchor), the "
                            "anchor reset to the policy every N steps (state: step)")
                   .paper("Advancing Language Model Reasoning through Reinforcement Learning "
                          "and Inference Scaling")
                   .input("logits")
                   .input("anchor_logits", Kind::floating, kNoGrad)
                   .output("loss")
                   .state("step")
                   .options<O>()
                   .input("mask", &O::mask, Kind::boolean, kOptional)
                   .attr("beta", &O::beta, "KL coefficient")
                   .attr("every", &O::every, "anchor reset period in steps, >= 1")
                   .own_reduction("a masked mean over response tokens")
                   .run([](const OpCall& c) {
                     DynamicAnchorKlResult res = dynamic_anchor_kl(
                         c.in("logits"), c.in("anchor_logits"), c.in("step"), c.options<O>());
                     return Outputs{res.loss, res.step};
                   }));
}

}  // namespace lathe
