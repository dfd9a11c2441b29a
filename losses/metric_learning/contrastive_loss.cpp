// contrastive_loss: the pair-margin contrastive loss as pytorch-metric-learning 2.x computes it
// (losses.ContrastiveLoss with its defaults: LpDistance(p=2, normalize_embeddings=True),
// AvgNonZeroReducer). With d_ij the Euclidean distance of the L2-normalized embeddings,
//   L = mean_{(i,j) pos, l>0} relu(d_ij - m_pos) + mean_{(i,j) neg, l>0} relu(m_neg - d_ij)
// over ordered pairs (i != j with the same label; different labels). Each mean is over its
// non-zero pair losses only, and is 0 when there is none (so a single-class batch gives just
// the positive term, one sample per class just the negative term, and 0 with a graph when every
// pair is already satisfied).
// Paper: "Dimensionality Reduction by Learning an Invariant Mapping" (Hadsell, Chopra, LeCun
// 2006); code read: KevinMusgrave/pytorch-metric-learning 2.9 losses/contrastive_loss.py,
// reducers/avg_non_zero_reducer.py (the oracle runs that class itself).
// Defaults: pos_margin 0, neg_margin 1 (PML's).
// Gradients: autograd; the pair masks and the "non-zero" selection are constants. The hinge
// kinks (d = m) and the distance at 0 (gradient 0, as torch.cdist) are kept out of gradcheck.
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor contrastive_loss(const Tensor& embeddings, const Tensor& labels,
                        const ContrastiveLossOptions& o) {
  const char* op = "contrastive_loss";
  pairs::check_embeddings(op, "embeddings", embeddings);
  pairs::check_labels(op, "labels", labels, embeddings.size(0));
  Tensor x = pairs::l2_normalize(embeddings);          // [B, D]
  Tensor d = pairs::distances(x, x, true);             // [B, B]
  Tensor pos_loss = relu(d - o.pos_margin);            // [B, B]
  Tensor neg_loss = relu(o.neg_margin - d);            // [B, B]
  Tensor pos = logical_and(pairs::positive_mask(labels), gt(pos_loss, 0.0));
  Tensor neg = logical_and(pairs::negative_mask(labels), gt(neg_loss, 0.0));
  return pairs::masked_mean(pos_loss, pos) + pairs::masked_mean(neg_loss, neg);
}

LATHE_REGISTER_OPS(contrastive_loss) {
  registry.add(OpDef("contrastive_loss", "metric_learning")
                   .summary("pair-margin contrastive loss on normalized embeddings (PML)")
                   .paper("Dimensionality Reduction by Learning an Invariant Mapping")
                   .input("embeddings")
                   .input("labels", Kind::integer)
                   .options<ContrastiveLossOptions>()
                   .attr("pos_margin", &ContrastiveLossOptions::pos_margin,
                         "positive pairs cost relu(d - pos_margin)")
                   .attr("neg_margin", &ContrastiveLossOptions::neg_margin,
                         "negative pairs cost relu(neg_margin - d)")
                   .output("loss")
                   .own_reduction("PML's AvgNonZeroReducer: the mean of the non-zero positive-"
                                  "pair losses plus that of the non-zero negative-pair losses")
                   .run(contrastive_loss));
}

}  // namespace lathe
