// soft_topk_loss: DEXML's loss for extreme multi-label classification: the positives of each
// row should fall inside its soft top-k. Scores x [B, L] (cosine / tau, tau 0.05: the
// caller's), positive mask P [B, L] (bool); t_i the soft_topk shift of row i:
//   l_i = -(1 / max(|P_i|, 1)) sum_{p in P_i} logsigmoid(alpha (x_ip + t_i)),
// reduced 'mean' over the rows (default, the reference's sum / B), 'sum' or 'none' ([B]). A
// row without positives gives 0.
// Paper: "Dual-Encoders for Extreme Multi-Label Classification" (DEXML; catalog: ranking.md;
// official code nilesh2797/DEXML utils/topk_utils.py, configs). K = 'num_pos' (per-row
// ceil(sum labels)) needs a per-row k: not provided here (one k for every row).
// Defaults: k 5, alpha 2, n_iter 32, reduction 'mean'.
// Defined backward: soft_topk's implicit gradient (ops/select/soft_topk.cpp), first order.
// Composite.
#include "losses/ranking/ranking.h"
#include "ops/composite.h"
#include "ops/select/select.h"

namespace lathe {

Tensor soft_topk_loss(const Tensor& input, const Tensor& pos_mask, const SoftTopkLossOptions& o) {
  const char* op = "soft_topk_loss";
  check_floating(op, "input", input);
  check_dim(op, "input", input, 2);
  LATHE_CHECK(pos_mask.defined() && pos_mask.dtype() == DType::boolean &&
                  pos_mask.shape() == input.shape(),
              "[", op, "] pos_mask must be bool ", input.shape(), ", got ",
              pos_mask.defined() ? pos_mask.shape() : Shape{});
  Reduction r = parse_reduction(op, o.reduction);
  Tensor logp = soft_topk(input, o.k, o.alpha, o.n_iter, true);            // [B, L]
  Tensor p = cast(pos_mask, input.dtype());                                // [B, L]
  Tensor rows = -sum(logp * p, {1}) / maximum(sum(p, {1}), 1.0);           // [B]
  return apply_reduction(rows, r);
}

LATHE_REGISTER_OPS(soft_topk_loss) {
  registry.add(OpDef("soft_topk_loss", "ranking")
                   .summary("positives inside the soft top-k: -mean log soft_topk membership")
                   .paper("Dual-Encoders for Extreme Multi-Label Classification")
                   .input("input")
                   .input("pos_mask", Kind::boolean)
                   .options<SoftTopkLossOptions>()
                   .attr("k", &SoftTopkLossOptions::k, "the soft count per row, in (0, L)")
                   .attr("alpha", &SoftTopkLossOptions::alpha, "sharpness > 0")
                   .attr("n_iter", &SoftTopkLossOptions::n_iter,
                         "bisection steps (>= 64 for machine precision)")
                   .attr("reduction", &SoftTopkLossOptions::reduction,
                         "none | mean | sum, over the rows")
                   .custom_backward("soft_topk's implicit gradient (none through the "
                                    "bisection); first order only")
                   .output("loss")
                   .run(soft_topk_loss));
}

}  // namespace lathe
