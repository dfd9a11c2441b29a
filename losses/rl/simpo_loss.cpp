// simpo_loss: SimPO, a reference-free preference loss on length-normalized (average per-token)
// log-probabilities [B] of the chosen (w) and rejected (l) completions:
//   h = log pi(w) / |w| - log pi(l) / |l| - gamma / beta
//   sigmoid: l = -(1 - ls) log sigmoid(beta h) - ls log sigmoid(-beta h)
//   hinge:   l = relu(1 - beta h)
// i.e. -log sigmoid(beta avg_w - beta avg_l - gamma), reduced 'mean' over pairs (default).
// Paper: "SimPO: Simple Preference Optimization with a Reference-Free Reward" (Meng, Xia, Chen,
// 2024). Defaults and names as the official princeton-nlp/SimPO SimPOConfig / simpo_loss:
// beta 2.0, gamma_beta_ratio 0.25, label_smoothing 0, loss_type 'sigmoid' (checked, Dec 2026;
// TRL's CPOTrainer loss_type 'simpo' uses beta 0.1 and simpo_gamma 0.5 instead). The official
// optional SFT term (sft_weight, 0 by default) is left to the caller.
// Composite.
#include "losses/rl/preference.h"
#include "losses/rl/rl.h"
#include "ops/composite.h"

namespace lathe {

Tensor simpo_loss(const Tensor& pc, const Tensor& pr, const SimpoLossOptions& o) {
  const char* op = "simpo_loss";
  rl_detail::check_logps(op, "policy_chosen_logps", pc);
  rl_detail::check_logps(op, "policy_rejected_logps", pr, pc);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor h = pc - pr - o.gamma_beta_ratio;                              // [B]
  return apply_reduction(
      rl_detail::preference_loss(op, h, o.beta, o.label_smoothing, o.loss_type, false), r);
}

LATHE_REGISTER_OPS(simpo_loss) {
  using O = SimpoLossOptions;
  registry.add(OpDef("simpo_loss", "rl_alignment")
                   .summary("SimPO: reference-free preference loss on average log-probabilities "
                            "with a target margin")
                   .paper("SimPO: Simple Preference Optimization with a Reference-Free Reward")
                   .input("policy_chosen_logps")
                   .input("policy_rejected_logps")
                   .options<O>()
                   .attr("beta", &O::beta, "reward scale, > 0")
                   .attr("gamma_beta_ratio", &O::gamma_beta_ratio, "target margin gamma / beta")
                   .attr("label_smoothing", &O::label_smoothing,
                         "label-flip probability in [0, 0.5] (sigmoid)")
                   .attr("loss_type", &O::loss_type, "sigmoid | hinge")
                   .attr("reduction", &O::reduction, "none | mean | sum over pairs")
                   .output("loss")
                   .run(simpo_loss));
}

}  // namespace lathe
