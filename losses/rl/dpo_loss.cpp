// dpo_loss: Direct Preference Optimization on per-sequence log-probabilities [B] of the chosen
// (w) and rejected (l) completions under the policy and the frozen reference model:
//   h = (log pi(w) - log pi(l)) - (log pi_ref(w) - log pi_ref(l))   (reference term 0 when
//                                                                     reference_free)
//   sigmoid: l = -(1 - ls) log sigmoid(beta h) - ls log sigmoid(-beta h)   (ls: conservative DPO)
//   hinge:   l = relu(1 - beta h)                                          (SLiC)
//   ipo:     l = (h - 1 / (2 beta))^2                                      (IPO)
// reduced 'mean' over pairs (default), 'sum' or 'none'.
// Papers: "Direct Preference Optimization: Your Language Model is Secretly a Reward Model"
// (Rafailov et al., 2023); "A General Theoretical Paradigm to Understand Learning from Human
// Preferences" (IPO, Azar et al., 2023); "SLiC-HF" (hinge).
// Defaults and argument names: beta 0.1, label_smoothing 0, loss_type 'sigmoid',
// reference_free false, as TRL's DPOTrainer.dpo_loss / DPOConfig and the authors'
// preference_loss (eric-mitchell/direct-preference-optimization), checked there (Dec 2026).
// NOTE: for IPO, TRL feeds token-averaged log-probabilities (the IPO paper's choice); this op
// takes whatever the caller computed, so pass averages with loss_type 'ipo' to match.
// The reference log-probabilities are constants (TRL computes them under no_grad): detached.
// Composite.
#include "losses/rl/preference.h"
#include "losses/rl/rl.h"
#include "ops/composite.h"

namespace lathe {

Tensor dpo_loss(const Tensor& pc, const Tensor& pr, const Tensor& rc, const Tensor& rr,
                const DpoLossOptions& o) {
  const char* op = "dpo_loss";
  rl_detail::check_logps(op, "policy_chosen_logps", pc);
  rl_detail::check_logps(op, "policy_rejected_logps", pr, pc);
  rl_detail::check_logps(op, "reference_chosen_logps", rc, pc);
  rl_detail::check_logps(op, "reference_rejected_logps", rr, pc);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor h = pc - pr;                                                   // [B]
  if (!o.reference_free) h = h - (rc.detach() - rr.detach());
  return apply_reduction(
      rl_detail::preference_loss(op, h, o.beta, o.label_smoothing, o.loss_type, true), r);
}

LATHE_REGISTER_OPS(dpo_loss) {
  using O = DpoLossOptions;
  registry.add(OpDef("dpo_loss", "rl_alignment")
                   .summary("DPO on per-sequence log-probabilities of chosen/rejected "
                            "completions (sigmoid, hinge, IPO; label smoothing)")
                   .paper("Direct Preference Optimization: Your Language Model is Secretly a "
                          "Reward Model")
                   .input("policy_chosen_logps")
                   .input("policy_rejected_logps")
                   .input("reference_chosen_logps", Kind::floating, kNoGrad)
                   .input("reference_rejected_logps", Kind::floating, kNoGrad)
                   .options<O>()
                   .attr("beta", &O::beta, "temperature of the implicit reward, > 0")
                   .attr("label_smoothing", &O::label_smoothing,
                         "label-flip probability in [0, 0.5] (sigmoid)")
                   .attr("loss_type", &O::loss_type, "sigmoid | hinge | ipo")
                   .attr("reference_free", &O::reference_free,
                         "true: the reference log-ratio is 0")
                   .attr("reduction", &O::reduction, "none | mean | sum over pairs")
                   .output("loss")
                   .run(dpo_loss));
}

}  // namespace lathe
