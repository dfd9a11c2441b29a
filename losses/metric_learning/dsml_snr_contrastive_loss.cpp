// dsml_snr_contrastive_loss: the contrastive loss on signal-to-noise-ratio distances. For every
// ordered pair (i, j), i != j, the anchor i is the signal:
//   d_ij = Var_D(h_j - h_i) / Var_D(h_i)       (snr distance, asymmetric)
//   L = R(relu(d_ij - m_pos)) over positive pairs + R(relu(m_neg - d_ij)) over negative pairs
//       + lambda mean_i |sum_m h_im|            (the zero-mean regularizer)
// R averages the pairs whose hinge is > 0 (avg_non_zero_only, PML's AvgNonZeroReducer) or all
// pairs of its kind; an empty set gives 0 with a graph. With c the rows centred over D,
// Var(h_j - h_i) / Var(h_i) = ||c_j - c_i||^2 / ||c_i||^2 (the Bessel factor cancels), so the
// [B, B] matrix comes from one GEMM.
// Paper: "Signal-to-Noise Ratio: A Robust Distance Metric for Deep Metric Learning" (Yuan et
// al., CVPR 2019). Code: PML's port (SignalToNoiseRatioContrastiveLoss in early releases;
// ContrastiveLoss + SNRDistance + ZeroMeanRegularizer later), as the catalog quotes it.
// Verification: the catalog's confidence is 'code (port)'; the paper's own loss form and lambda
// were not recovered (no author code found); the op follows the port.
// Defaults: pos_margin 0, neg_margin 1, reg_weight 0, avg_non_zero_only true.
// Edge cases: a constant embedding has Var 0 (its row of d is inf): keep embeddings non-constant.
// Gradients: autograd; hinge kinks are kept out of gradcheck.
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor dsml_snr_contrastive_loss(const Tensor& embeddings, const Tensor& labels,
                                 const DsmlSnrContrastiveLossOptions& o) {
  const char* op = "dsml_snr_contrastive_loss";
  pairs::check_embeddings(op, "embeddings", embeddings);
  pairs::check_labels(op, "labels", labels, embeddings.size(0));
  Tensor c = embeddings - mean(embeddings, {1}, true);                            // [B, D]
  Tensor d = pairs::squared_distances(c, c, true) / sum(c * c, {1}, true);        // [B, B]
  Tensor pos = pairs::positive_mask(labels), neg = pairs::negative_mask(labels);
  Tensor lp = relu(d - o.pos_margin), ln = relu(o.neg_margin - d);                // [B, B]
  if (o.avg_non_zero_only) {
    pos = logical_and(pos, gt(lp, 0.0));
    neg = logical_and(neg, gt(ln, 0.0));
  }
  Tensor l = pairs::masked_mean(lp, pos) + pairs::masked_mean(ln, neg);
  if (o.reg_weight != 0) l = l + o.reg_weight * mean(abs(sum(embeddings, {1})));
  return l;
}

LATHE_REGISTER_OPS(dsml_snr_contrastive_loss) {
  registry.add(OpDef("dsml_snr_contrastive_loss", "metric_learning")
                   .summary("contrastive loss on signal-to-noise-ratio distances")
                   .paper("Signal-to-Noise Ratio: A Robust Distance Metric for Deep Metric "
                          "Learning")
                   .input("embeddings")
                   .input("labels", Kind::integer)
                   .options<DsmlSnrContrastiveLossOptions>()
                   .attr("pos_margin", &DsmlSnrContrastiveLossOptions::pos_margin,
                         "positive pairs cost relu(d - pos_margin)")
                   .attr("neg_margin", &DsmlSnrContrastiveLossOptions::neg_margin,
                         "negative pairs cost relu(neg_margin - d)")
                   .attr("reg_weight", &DsmlSnrContrastiveLossOptions::reg_weight,
                         "lambda of the zero-mean regularizer mean_i |sum_m h_im|")
                   .attr("avg_non_zero_only", &DsmlSnrContrastiveLossOptions::avg_non_zero_only,
                         "average the non-zero hinges only (else every pair of the kind)")
                   .output("loss")
                   .own_reduction("each hinge term averages its own (non-zero) pairs")
                   .run(dsml_snr_contrastive_loss));
}

}  // namespace lathe
