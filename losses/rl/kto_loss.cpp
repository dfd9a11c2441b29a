// kto_loss: Kahneman-Tversky Optimization on unpaired desirable (chosen, [Bc]) and undesirable
// (rejected, [Br]) completions, with per-sequence log-probabilities under the policy and the
// frozen reference:
//   z_ref = max(mean_k (log pi(y'_k) - log pi_ref(y'_k)), 0)     (detached; 0 without KL inputs)
//   chosen:   l = desirable_weight   * (1 - sigmoid(beta (log pi(y) - log pi_ref(y) - z_ref)))
//   rejected: l = undesirable_weight * (1 - sigmoid(beta (z_ref - (log pi(y) - log pi_ref(y)))))
// the [Bc + Br] losses (chosen first) reduced 'mean' (default), 'sum' or 'none'.
// Paper: "KTO: Model Alignment as Prospect Theoretic Optimization" (Ethayarajh et al., 2024).
// Names and defaults as TRL's KTOConfig / KTOTrainer.kto_loss (beta 0.1, desirable_weight 1,
// undesirable_weight 1) and the authors' ContextualAI/HALOs: there the KL estimate comes from
// mismatched (x, y') pairs of the batch, is computed without gradient, averaged and clamped at
// 0 (checked, Dec 2026). policy_kl_logps / reference_kl_logps are those pairs' log-probs.
// An empty chosen or rejected set is allowed (TRL's batches may hold only one kind).
// Composite.
#include "losses/rl/preference.h"
#include "losses/rl/rl.h"
#include "ops/composite.h"

namespace lathe {

Tensor kto_loss(const Tensor& pc, const Tensor& pr, const Tensor& rc, const Tensor& rr,
                const KtoLossOptions& o) {
  const char* op = "kto_loss";
  rl_detail::check_logps(op, "policy_chosen_logps", pc);
  rl_detail::check_logps(op, "policy_rejected_logps", pr);
  rl_detail::check_logps(op, "reference_chosen_logps", rc, pc);
  rl_detail::check_logps(op, "reference_rejected_logps", rr, pr);
  Reduction r = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.beta > 0.0, "[", op, "] beta must be > 0, got ", o.beta);
  LATHE_CHECK(pc.numel() + pr.numel() > 0, "[", op, "] got no chosen and no rejected example");
  LATHE_CHECK(o.policy_kl_logps.defined() == o.reference_kl_logps.defined(), "[", op,
              "] give both policy_kl_logps and reference_kl_logps, or neither");
  Tensor z = zeros({}, pc.dtype(), pc.device());                        // []
  if (o.policy_kl_logps.defined()) {
    rl_detail::check_logps(op, "policy_kl_logps", o.policy_kl_logps);
    rl_detail::check_logps(op, "reference_kl_logps", o.reference_kl_logps, o.policy_kl_logps);
    LATHE_CHECK(o.policy_kl_logps.numel() > 0, "[", op, "] policy_kl_logps is empty");
    z = clamp(mean(o.policy_kl_logps.detach() - o.reference_kl_logps.detach()), 0.0);
  }
  std::vector<Tensor> parts;
  if (pc.numel() > 0)
    parts.push_back(o.desirable_weight * (1.0 - sigmoid(o.beta * (pc - rc.detach() - z))));
  if (pr.numel() > 0)
    parts.push_back(o.undesirable_weight * (1.0 - sigmoid(o.beta * (z - (pr - rr.detach())))));
  Tensor losses = parts.size() == 1 ? parts[0] : concat(parts, 0);      // [Bc + Br]
  return apply_reduction(losses, r);
}

LATHE_REGISTER_OPS(kto_loss) {
  using O = KtoLossOptions;
  registry.add(OpDef("kto_loss", "rl_alignment")
                   .summary("KTO: prospect-theoretic loss of unpaired desirable/undesirable "
                            "completions against a KL reference point")
                   .paper("KTO: Model Alignment as Prospect Theoretic Optimization")
                   .input("policy_chosen_logps")
                   .input("policy_rejected_logps")
                   .input("reference_chosen_logps", Kind::floating, kNoGrad)
                   .input("reference_rejected_logps", Kind::floating, kNoGrad)
                   .options<O>()
                   .input("policy_kl_logps", &O::policy_kl_logps, Kind::floating,
                          kOptional | kNoGrad)
                   .input("reference_kl_logps", &O::reference_kl_logps, Kind::floating,
                          kOptional | kNoGrad)
                   .attr("beta", &O::beta, "temperature, > 0")
                   .attr("desirable_weight", &O::desirable_weight, "weight of chosen examples")
                   .attr("undesirable_weight", &O::undesirable_weight,
                         "weight of rejected examples")
                   .attr("reduction", &O::reduction,
                         "none | mean | sum over the chosen then rejected examples")
                   .output("loss")
                   .run(kto_loss));
}

}  // namespace lathe
