// mw_auc_loss: the Mann-Whitney (AUC) loss for retrieval. Scores S [B, P] (cosine similarities
// of every query against every passage of the batch) and a positive mask [B, P] (bool); every
// positive s+ is compared with every negative s- of the whole batch (not only its own row):
//   l(s+, s-) = softplus(-(s+ - s-) / tau)     (BCE with target 1 on sigmoid((s+ - s-)/tau)),
//   'paper' (default): L = sum over all pairs / number of positives (Eq. 3: sum over the
//                      negatives, mean over the positives; grows with the batch),
//   'mean':            L = mean over all |P| |S-| pairs.
// Paper: "Optimizing What Matters: AUC-Driven Learning for Robust Neural Retrieval"
// (Sheikholeslami et al., 2025). Catalog: ranking.md, confidence 'paper text' (no public code).
// Checked (search of stored pages): not found beyond the catalog's reading of Sec. 4 Eq. 2-3,
// Lemma 2 and Sec. 5.1 (tau = 0.01); the op follows it.
// Defaults: tau 0.01, reduction 'paper' (a batch-level scalar: the loss declares its own
// reduction). An empty negative pool gives 0 (no pair), and so does an empty positive set.
// Gradients (autograd): dL/ds+_i = -(1/(B tau)) sum_n sigmoid(-(s+_i - s_n)/tau); each
// negative gets the opposite sum over positives. softplus keeps tau = 0.01 (arguments up to
// +-200) finite. Memory O((B P)^2): the pairs of all entries, masked.
// Composite.
#include "losses/ranking/ranking.h"
#include "ops/composite.h"

namespace lathe {

Tensor mw_auc_loss(const Tensor& scores, const Tensor& pos_mask, const MwAucLossOptions& o) {
  const char* op = "mw_auc_loss";
  check_floating(op, "scores", scores);
  check_dim(op, "scores", scores, 2);
  LATHE_CHECK(pos_mask.defined() && pos_mask.dtype() == DType::boolean &&
                  pos_mask.shape() == scores.shape(),
              "[", op, "] pos_mask must be bool ", scores.shape(), ", got ",
              pos_mask.defined() ? pos_mask.shape() : Shape{});
  LATHE_CHECK(o.tau > 0, "[", op, "] tau must be > 0, got ", o.tau);
  LATHE_CHECK(o.reduction == "paper" || o.reduction == "mean", "[", op,
              "] reduction must be paper or mean, got '", o.reduction, "'");
  int64_t m = scores.numel();
  Tensor s = reshape(scores, {m});                                     // [M]
  Tensor pos = cast(reshape(pos_mask, {m}), scores.dtype());           // [M]
  Tensor neg = 1.0 - pos;                                              // [M]
  Tensor diff = unsqueeze(s, 1) - unsqueeze(s, 0);                     // [M, M] s_i - s_j
  Tensor pair = unsqueeze(pos, 1) * unsqueeze(neg, 0);                 // [M, M] i pos, j neg
  Tensor total = sum(softplus(-diff / o.tau) * pair);                  // []
  Tensor count = o.reduction == "paper" ? sum(pos) : sum(pair);        // []
  return where(gt(count, 0.0), total / maximum(count, 1.0), 0.0 * total);
}

LATHE_REGISTER_OPS(mw_auc_loss) {
  registry.add(OpDef("mw_auc_loss", "ranking")
                   .summary("Mann-Whitney AUC loss: every positive against every negative")
                   .paper("Optimizing What Matters: AUC-Driven Learning for Robust Neural "
                          "Retrieval")
                   .input("scores")
                   .input("pos_mask", Kind::boolean)
                   .options<MwAucLossOptions>()
                   .attr("tau", &MwAucLossOptions::tau, "temperature > 0")
                   .attr("reduction", &MwAucLossOptions::reduction,
                         "paper (sum over pairs / positives) | mean (over pairs)")
                   .own_reduction("'paper': sum over negatives, mean over positives; "
                                  "'mean': over all pairs (batch-level)")
                   .output("loss")
                   .run(mw_auc_loss));
}

}  // namespace lathe
