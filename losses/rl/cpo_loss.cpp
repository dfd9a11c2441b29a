// cpo_loss: Contrastive Preference Optimization, the reference-free DPO loss of the policy
// log-ratio plus a behaviour-cloning NLL on the chosen completion, per pair:
//   h = log pi(w) - log pi(l)
//   l = pref(h) + cpo_alpha * nll_w,   pref: sigmoid | hinge | ipo as in dpo_loss
// on per-sequence log-probabilities [B]; nll_w is `chosen_nll` ([B] or [] broadcast) when given,
// else -log pi(w). Reduced 'mean' over pairs (default): mean(pref) + cpo_alpha nll as TRL.
// Paper: "Contrastive Preference Optimization: Pushing the Boundaries of LLM Performance in
// Machine Translation" (Xu et al., 2024). Defaults and names as TRL's CPOConfig /
// CPOTrainer.cpo_loss (the authors' ALMA code was merged there): beta 0.1, label_smoothing 0,
// loss_type 'sigmoid', cpo_alpha 1.0 (checked, Dec 2026).
// NOTE: TRL's NLL is the token mean of the chosen completions' cross-entropy over the batch;
// pass it as `chosen_nll` for parity. The default -log pi(w) is that NLL per sequence (equal to
// it when the log-probabilities are token averages).
// Composite.
#include "losses/rl/preference.h"
#include "losses/rl/rl.h"
#include "ops/composite.h"

namespace lathe {

Tensor cpo_loss(const Tensor& pc, const Tensor& pr, const CpoLossOptions& o) {
  const char* op = "cpo_loss";
  rl_detail::check_logps(op, "policy_chosen_logps", pc);
  rl_detail::check_logps(op, "policy_rejected_logps", pr, pc);
  Reduction r = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.cpo_alpha >= 0.0, "[", op, "] cpo_alpha must be >= 0, got ", o.cpo_alpha);
  Tensor nll = -pc;                                                     // [B]
  if (o.chosen_nll.defined()) {
    check_floating(op, "chosen_nll", o.chosen_nll);
    LATHE_CHECK(o.chosen_nll.dim() == 0 || o.chosen_nll.shape() == pc.shape(), "[", op,
                "] chosen_nll must be a scalar or ", pc.shape(), ", got ", o.chosen_nll.shape());
    nll = o.chosen_nll;
  }
  Tensor pref = rl_detail::preference_loss(op, pc - pr, o.beta, o.label_smoothing, o.loss_type,
                                           true);                       // [B]
  return apply_reduction(pref + o.cpo_alpha * nll, r);
}

LATHE_REGISTER_OPS(cpo_loss) {
  using O = CpoLossOptions;
  registry.add(OpDef("cpo_loss", "rl_alignment")
                   .summary("CPO: reference-free DPO loss plus cpo_alpha times the chosen NLL")
                   .paper("Contrastive Preference Optimization: Pushing the Boundaries of LLM "
                          "Performance in Machine Translation")
                   .input("policy_chosen_logps")
                   .input("policy_rejected_logps")
                   .options<O>()
                   .input("chosen_nll", &O::chosen_nll, Kind::floating, kOptional)
                   .attr("beta", &O::beta, "temperature, > 0")
                   .attr("label_smoothing", &O::label_smoothing,
                         "label-flip probability in [0, 0.5] (sigmoid)")
                   .attr("loss_type", &O::loss_type, "sigmoid | hinge | ipo")
                   .attr("cpo_alpha", &O::cpo_alpha, "weight of the NLL term, >= 0")
                   .attr("reduction", &O::reduction, "none | mean | sum over pairs")
                   .output("loss")
                   .run(cpo_loss));
}

}  // namespace lathe
