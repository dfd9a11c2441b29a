// switch_load_balance_loss: the auxiliary load-balance loss of Switch/Mixtral routers, on
// router logits R [N, E] (tokens of every layer concatenated):
//   P = softmax(R), f_{j,e} = mean_t 1[topk(P_t)_j = e] (slot j of k), Pbar_e = mean_t P_{t,e}
//   L = coef E sum_{j,e} f_{j,e} Pbar_e = coef E sum_e F_e Pbar_e,   F_e = sum_j f_{j,e}
// With a token mask [N] (bool), both means run over the kept tokens only. A scalar over the
// tokens (the loss declares its own reduction). The layer's renormalization of the top-k
// routing weights belongs to the MoE layer, not here.
// Papers: "MixLoRA: Enhancing Large Language Models Fine-Tuning with LoRA-based Mixture of
// Experts"; "DynMoLE: Boosting Mixture of LoRA Experts Fine-Tuning with a Hybrid Routing
// Mechanism"; "Optimal Sparsity of Mixture-of-Experts Language Models for Reasoning Tasks"
// (catalog: regularizer.md, confidence 'official code': mikecovlee/DynMoLE
// moe_peft/modules/mix_lora.py _mixtral_load_balancing_loss_func; TUDB-Labs/MixLoRA config).
// Defaults: k 2, coef 0.001.
// Decision: every token masked divides 0 by 0 in the reference; the mask count is clamped at 1
// here, so that case gives 0 (no NaN in a training loop with an empty micro-batch).
// Gradient (autograd): only through Pbar (the top-k counts are constants):
//   dL/dR_te = coef (E / N) sum_e' F_e' P_te' (delta_ee' - P_te). Not differentiable at top-k
// ties (the counts jump).
// Composite.
#include "losses/regularizer/regularizer.h"
#include "ops/composite.h"
#include "ops/nn/nn.h"

namespace lathe {

Tensor switch_load_balance_loss(const Tensor& router_logits,
                                const SwitchLoadBalanceLossOptions& o) {
  const char* op = "switch_load_balance_loss";
  check_floating(op, "router_logits", router_logits);
  check_dim(op, "router_logits", router_logits, 2);
  int64_t n = router_logits.shape()[0], e = router_logits.shape()[1];
  LATHE_CHECK(n > 0 && e > 0, "[", op, "] router_logits must hold tokens and experts, got ",
              router_logits.shape());
  LATHE_CHECK(o.k >= 1 && o.k <= e, "[", op, "] k must be in [1, E = ", e, "], got ", o.k);
  const Tensor& mask = o.mask;
  if (mask.defined()) {
    LATHE_CHECK(mask.dtype() == DType::boolean && mask.shape() == Shape{n}, "[", op,
                "] mask must be bool [", n, "], got ", mask.dtype(), " ", mask.shape());
  }
  Tensor p = softmax(router_logits, -1);                                 // [N, E]
  Tensor idx = topk(router_logits.detach(), o.k, -1).second;             // [N, k]
  Tensor counts = sum(cast(one_hot(idx, e), p.dtype()), {1});            // [N, E] F per token
  Tensor f, pbar;                                                        // [E]
  if (mask.defined()) {
    Tensor m = unsqueeze(cast(mask, p.dtype()), 1);                      // [N, 1]
    Tensor total = clamp(sum(m), 1.0);                                   // []
    f = sum(counts * m, {0}) / total;
    pbar = sum(p * m, {0}) / total;
  } else {
    f = mean(counts, {0});
    pbar = mean(p, {0});
  }
  return (o.coef * static_cast<double>(e)) * sum(f * pbar);
}

LATHE_REGISTER_OPS(switch_load_balance_loss) {
  registry.add(OpDef("switch_load_balance_loss", "regularizer")
                   .summary("Switch/Mixtral router load-balance loss coef E sum_e F_e Pbar_e")
                   .paper("MixLoRA: Enhancing Large Language Models Fine-Tuning with LoRA-based "
                          "Mixture of Experts; DynMoLE: Boosting Mixture of LoRA Experts "
                          "Fine-Tuning with a Hybrid Routing Mechanism; Optimal Sparsity of "
                          "Mixture-of-Experts Language Models for Reasoning Tasks")
                   .input("router_logits")
                   .options<SwitchLoadBalanceLossOptions>()
                   .input("mask", &SwitchLoadBalanceLossOptions::mask, Kind::boolean,
                          kOptional)
                   .attr("k", &SwitchLoadBalanceLossOptions::k, "experts per token (top-k)")
                   .attr("coef", &SwitchLoadBalanceLossOptions::coef, "router_aux_loss_coef")
                   .own_reduction("a scalar over the tokens (the expert fractions couple them)")
                   .output("loss")
                   .run(switch_load_balance_loss));
}

}  // namespace lathe
