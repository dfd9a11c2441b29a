// lifted_structure_loss: the lifted structured loss as pytorch-metric-learning 2.x computes it
// (losses.LiftedStructureLoss, LpDistance(p=2) on L2-normalized rows, MeanReducer over pairs).
// For every ordered positive pair (i, j) (same label, i != j), with N_k the negatives of k:
//   J_ij = log( sum_{n in N_i} e^{m_neg - d_in} + sum_{n in N_j} e^{m_neg - d_jn} ) + d_ij - m_pos
//   l_ij = relu(J_ij)^2 / 2,   L = mean over the positive pairs
// (the /2 because each pair is counted in both orders). No positive or no negative pair in the
// batch: 0 with a graph. The log-sum-exp over both rows is logaddexp of the two row sums, so the
// op holds [B, B], never the [pairs, negatives] matrix.
// Paper: "Deep Metric Learning via Lifted Structured Feature Embedding" (Oh Song et al., CVPR
// 2016). Code read: PML 2.9 losses/lifted_structure_loss.py.
// Defaults: neg_margin 1, pos_margin 0 (PML).
// Gradients: autograd; the relu kink at J = 0 is kept out of gradcheck.
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor lifted_structure_loss(const Tensor& embeddings, const Tensor& labels,
                             const LiftedStructureLossOptions& o) {
  const char* op = "lifted_structure_loss";
  pairs::check_embeddings(op, "embeddings", embeddings);
  pairs::check_labels(op, "labels", labels, embeddings.size(0));
  const int64_t b = embeddings.size(0);
  Tensor x = pairs::l2_normalize(embeddings);                                  // [B, D]
  Tensor d = pairs::distances(x, x, true);                                     // [B, B]
  Tensor pos = pairs::positive_mask(labels), neg = pairs::negative_mask(labels);
  Tensor row = pairs::masked_logsumexp(o.neg_margin - d, neg, 1, false);       // [B, 1]
  Tensor both = logsumexp(stack({expand(row, {b, b}), expand(row.t(), {b, b})}, 0), {0});
  Tensor j = relu(both + d - o.pos_margin);                                    // [B, B]
  Tensor any_neg = gt(sum(cast(neg, d.dtype())), 0.0);                         // []
  return pairs::masked_mean(j * j / 2.0, logical_and(pos, any_neg));
}

LATHE_REGISTER_OPS(lifted_structure_loss) {
  registry.add(OpDef("lifted_structure_loss", "metric_learning")
                   .summary("lifted structured loss over positive pairs (PML)")
                   .paper("Deep Metric Learning via Lifted Structured Feature Embedding")
                   .input("embeddings")
                   .input("labels", Kind::integer)
                   .options<LiftedStructureLossOptions>()
                   .attr("neg_margin", &LiftedStructureLossOptions::neg_margin,
                         "negatives enter as e^(neg_margin - d)")
                   .attr("pos_margin", &LiftedStructureLossOptions::pos_margin,
                         "subtracted from the positive distance")
                   .output("loss")
                   .own_reduction("the mean over the batch's ordered positive pairs")
                   .run(lifted_structure_loss));
}

}  // namespace lathe
