// dynmole_router_loss: the router loss of DynMoLE's hybrid routing, on router logits R [N, E]:
//   P = softmax(R);  S_t = tsallis_entropy(P_t) (q, eps, normalized)
//   mask: sort P_t descending, keep experts while the cumulative probability <= top_p, always
//         the first keep_top_k; a token with S_t > entropy_threshold keeps every expert
//   w = P * mask (not renormalized),  f_e = mean_t w_te,  Pbar_e = mean_t P_te
//   L = lam_ent mean_t S_t + lam_lb E sum_e f_e Pbar_e
// The selection is forward-only (a constant mask); f is soft (unlike the one-hot counts of
// switch_load_balance_loss). A scalar over the tokens (the loss declares its own reduction).
// Paper: "DynMoLE: Boosting Mixture of LoRA Experts Fine-Tuning with a Hybrid Routing
// Mechanism" (catalog: regularizer.md, confidence 'official code': mikecovlee/DynMoLE
// moe_peft/adapters/dynmole/model.py, config.py, moe_peft/common/moe_utils.py).
// Defaults: q 1.1, top_p 0.75, keep_top_k 2, entropy_threshold 0.9, lam_ent 0.01, lam_lb
// 0.001, eps 1e-5 (config.py).
// Gradient (autograd) through the entropy term, f (via P inside w) and Pbar; not
// differentiable where a token crosses the top_p or entropy boundaries (the mask jumps).
// Composite.
#include "losses/entropy/entropy.h"
#include "losses/regularizer/regularizer.h"
#include "ops/composite.h"
#include "ops/nn/nn.h"

namespace lathe {

Tensor dynmole_router_loss(const Tensor& router_logits, const DynmoleRouterLossOptions& o) {
  const char* op = "dynmole_router_loss";
  check_floating(op, "router_logits", router_logits);
  check_dim(op, "router_logits", router_logits, 2);
  int64_t n = router_logits.shape()[0], e = router_logits.shape()[1];
  LATHE_CHECK(n > 0 && e > 1, "[", op, "] router_logits must be [N > 0, E > 1], got ",
              router_logits.shape());
  LATHE_CHECK(o.keep_top_k >= 1 && o.keep_top_k <= e, "[", op, "] keep_top_k must be in "
              "[1, E = ", e, "], got ", o.keep_top_k);
  LATHE_CHECK(o.top_p > 0 && o.top_p <= 1, "[", op, "] top_p must be in (0, 1], got ", o.top_p);
  Tensor p = softmax(router_logits, -1);                                  // [N, E]
  Tensor s = tsallis_entropy(p, {o.q, o.eps, true});                      // [N]
  auto [sp, si] = sort(p.detach(), -1, true);                             // [N, E]
  Tensor rank = reshape(arange(e, p.dtype(), p.device()), {1, e});        // [1, E] 0..E-1
  Tensor keep = logical_or(le(cumsum(sp, -1), o.top_p), lt(rank, double(o.keep_top_k)));
  Tensor mask = scatter_add(zeros_like(p), si, cast(keep, p.dtype()), 1); // [N, E] unsorted
  Tensor all = unsqueeze(gt(s.detach(), o.entropy_threshold), 1);         // [N, 1]
  mask = where(all, scalar_like(1.0, p), mask);
  Tensor f = mean(p * mask, {0}), pbar = mean(p, {0});                    // [E]
  return o.lam_ent * mean(s) + (o.lam_lb * static_cast<double>(e)) * sum(f * pbar);
}

LATHE_REGISTER_OPS(dynmole_router_loss) {
  registry.add(OpDef("dynmole_router_loss", "regularizer")
                   .summary("DynMoLE router loss: Tsallis entropy + soft load balance of the "
                            "hybrid-routed weights")
                   .paper("DynMoLE: Boosting Mixture of LoRA Experts Fine-Tuning with a Hybrid "
                          "Routing Mechanism")
                   .input("router_logits")
                   .options<DynmoleRouterLossOptions>()
                   .attr("q", &DynmoleRouterLossOptions::q, "Tsallis entropy index")
                   .attr("top_p", &DynmoleRouterLossOptions::top_p,
                         "cumulative probability kept, in (0, 1]")
                   .attr("keep_top_k", &DynmoleRouterLossOptions::keep_top_k,
                         "experts always kept")
                   .attr("entropy_threshold", &DynmoleRouterLossOptions::entropy_threshold,
                         "normalized entropy above which a token uses every expert")
                   .attr("lam_ent", &DynmoleRouterLossOptions::lam_ent, "entropy weight")
                   .attr("lam_lb", &DynmoleRouterLossOptions::lam_lb, "load-balance weight")
                   .attr("eps", &DynmoleRouterLossOptions::eps, "the Tsallis entropy's eps")
                   .own_reduction("a scalar over the tokens")
                   .output("loss")
                   .run(dynmole_router_loss));
}

}  // namespace lathe
