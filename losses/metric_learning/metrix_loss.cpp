// metrix_loss: the mixed term of Metrix (mixup for deep metric learning), contrastive
// instance. A mixed embedding u = lam x+ + (1 - lam) x- counts as a positive with weight lam
// and as a negative with weight 1 - lam. With d_k = ||a^_k - u^_k|| on L2-normalized rows:
//   pos_k = lam [d_k]_+,   neg_k = (1 - lam) [m - d_k]_+,   L = AvgNZ(pos) + AvgNZ(neg)
// AvgNZ averages the strictly positive entries (0 with a graph when there are none).
// Paper: "It Takes Two to Tango: Mixup for Deep Metric Learning" (Venkataramanan et al., ICLR
// 2022); code billpsomas/Metrix_ICLR22 mixup/losses.py (loss_posneg_mixup), main.py
// (LpDistance, ContrastiveLoss(neg_margin=0.5), AvgNonZeroReducer), as the catalog quotes them.
// The full training loss is L_clean + w L (w 0.4; contrastive_loss gives L_clean); the pairing
// (lam ~ Beta(2, 2), the two mixing modes, the mixing level) is the caller's.
// Defaults: lam 0.5, neg_margin 0.5. Reduction: the two non-zero averages, summed.
// Gradients: autograd; the distance has a zero gradient at d = 0 (a mixed row equal to its
// anchor), the hinge a kink at d = m.
#include "losses/metric_learning/metric_learning_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor metrix_loss(const Tensor& anchor, const Tensor& mixed, const MetrixLossOptions& o) {
  const char* op = "metrix_loss";
  pairs::check_embeddings(op, "anchor", anchor);
  check_shape(op, "mixed", mixed, anchor.shape());
  check_floating(op, "mixed", mixed);
  LATHE_CHECK(o.lam >= 0.0 && o.lam <= 1.0, "[", op, "] lam must lie in [0, 1], got ", o.lam);
  Tensor diff = pairs::l2_normalize(anchor) - pairs::l2_normalize(mixed);   // [K, D]
  Tensor d = pairs::safe_sqrt(sum(diff * diff, {1}));                        // [K]
  Tensor pos = o.lam * relu(d);                                              // [K]
  Tensor neg = (1.0 - o.lam) * relu(o.neg_margin - d);                       // [K]
  return pairs::masked_mean(pos, gt(pos, 0.0)) + pairs::masked_mean(neg, gt(neg, 0.0));
}

LATHE_REGISTER_OPS(metrix_loss) {
  registry.add(OpDef("metrix_loss", "metric_learning")
                   .summary("Metrix: contrastive loss of mixed embeddings, weights lam and 1 - lam")
                   .paper("It Takes Two to Tango: Mixup for Deep Metric Learning")
                   .input("anchor")
                   .input("mixed")
                   .options<MetrixLossOptions>()
                   .attr("lam", &MetrixLossOptions::lam, "mixing weight in [0, 1]")
                   .attr("neg_margin", &MetrixLossOptions::neg_margin, "negative margin")
                   .output("loss")
                   .own_reduction("two averages over the non-zero terms (AvgNonZeroReducer), "
                                  "summed")
                   .run(metrix_loss));
}

}  // namespace lathe
