// orpo_loss: Odds Ratio Preference Optimization on average per-token log-probabilities
// a_w, a_l [B] (< 0) of the chosen and rejected completions, per pair:
//   log odds(y) = a - log(1 - exp(a))
//   l = nll_w - beta * log sigmoid(log odds(w) - log odds(l))
// nll_w is `chosen_nll` ([B] or [] broadcast) when given, else -a_w (the chosen completion's
// token-mean NLL). Reduced 'mean' over pairs (default): nll - beta mean(log sigmoid(.)) as TRL.
// Paper: "ORPO: Monolithic Preference Optimization without Reference Model" (Hong, Lee, Thorne,
// 2024). Names and defaults as TRL's ORPOConfig / ORPOTrainer.odds_ratio_loss (beta = the
// paper's lambda = 0.1) and the authors' xfactlab/orpo; checked (Dec 2026).
// NOTE: TRL writes log1p(-exp(a)); log(-expm1(a)) is the same value without the cancellation
// near a = 0. TRL's NLL is the token mean over the batch's chosen tokens: pass it as
// `chosen_nll` for parity (equal to the default when the completions have the same length).
// Bad input: a log-probability >= 0 (its odds are infinite) is an error.
// Composite.
#include "losses/rl/preference.h"
#include "losses/rl/rl.h"
#include "ops/composite.h"

namespace lathe {

namespace {
Tensor log_odds(const char* op, const char* name, const Tensor& a) {
  LATHE_CHECK(a.numel() == 0 || max(a.detach()).item() < 0.0, "[", op, "] ", name,
              " must be < 0 (log-probabilities of a completion), got a maximum of ",
              max(a.detach()).item());
  return a - log(-expm1(a));                                            // [B]
}
}  // namespace

Tensor orpo_loss(const Tensor& pc, const Tensor& pr, const OrpoLossOptions& o) {
  const char* op = "orpo_loss";
  rl_detail::check_logps(op, "policy_chosen_logps", pc);
  rl_detail::check_logps(op, "policy_rejected_logps", pr, pc);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor nll = -pc;                                                     // [B]
  if (o.chosen_nll.defined()) {
    check_floating(op, "chosen_nll", o.chosen_nll);
    LATHE_CHECK(o.chosen_nll.dim() == 0 || o.chosen_nll.shape() == pc.shape(), "[", op,
                "] chosen_nll must be a scalar or ", pc.shape(), ", got ", o.chosen_nll.shape());
    nll = o.chosen_nll;
  }
  Tensor h = log_odds(op, "policy_chosen_logps", pc) -
             log_odds(op, "policy_rejected_logps", pr);                 // [B]
  return apply_reduction(nll - o.beta * rl_detail::log_sigmoid(h), r);
}

LATHE_REGISTER_OPS(orpo_loss) {
  using O = OrpoLossOptions;
  registry.add(OpDef("orpo_loss", "rl_alignment")
                   .summary("ORPO: chosen NLL minus beta log sigmoid of the log odds ratio")
                   .paper("ORPO: Monolithic Preference Optimization without Reference Model")
                   .input("policy_chosen_logps")
                   .input("policy_rejected_logps")
                   .options<O>()
                   .input("chosen_nll", &O::chosen_nll, Kind::floating, kOptional)
                   .attr("beta", &O::beta, "weight lambda of the odds-ratio term")
                   .attr("reduction", &O::reduction, "none | mean | sum over pairs")
                   .output("loss")
                   .run(orpo_loss));
}

}  // namespace lathe
