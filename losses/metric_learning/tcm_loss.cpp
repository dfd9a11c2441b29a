// tcm_loss: the threshold-consistent margin loss of positive pair similarities s+ and negative
// pair similarities s- (1-D each, cosines from the caller's pair selection):
//   L = l_pos sum (m_pos - s+) 1[s+ <= m_pos] / sum 1[s+ <= m_pos]
//     + l_neg sum (s- - m_neg) 1[s- >= m_neg] / sum 1[s- >= m_neg]
// each term 0 (with a graph) when it selects nothing. Added to a base metric-learning loss.
// Paper: "Threshold-Consistent Margin Loss for Open-World Deep Metric Learning" (Zhang et al.,
// ICLR 2024). Code: PML ThresholdConsistentMarginLoss (a port citing the paper), as the catalog
// quotes it. Defaults: m_pos 0.9, m_neg 0.5, l_pos = l_neg = 1.
// Gradients: autograd; the selections are constants (kinks at the thresholds).
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor tcm_loss(const Tensor& pos_sims, const Tensor& neg_sims, const TcmLossOptions& o) {
  const char* op = "tcm_loss";
  pairs::check_embeddings(op, "pos_sims", pos_sims, 1);
  pairs::check_embeddings(op, "neg_sims", neg_sims, 1);
  Tensor lp = pairs::masked_mean(o.m_pos - pos_sims, le(pos_sims, o.m_pos));
  Tensor ln = pairs::masked_mean(neg_sims - o.m_neg, ge(neg_sims, o.m_neg));
  return o.l_pos * lp + o.l_neg * ln;
}

LATHE_REGISTER_OPS(tcm_loss) {
  registry.add(OpDef("tcm_loss", "metric_learning")
                   .summary("threshold-consistent margin loss over hard pair similarities")
                   .paper("Threshold-Consistent Margin Loss for Open-World Deep Metric Learning")
                   .input("pos_sims")
                   .input("neg_sims")
                   .options<TcmLossOptions>()
                   .attr("m_pos", &TcmLossOptions::m_pos, "positives below it are hard")
                   .attr("m_neg", &TcmLossOptions::m_neg, "negatives above it are hard")
                   .attr("l_pos", &TcmLossOptions::l_pos, "weight of the positive term")
                   .attr("l_neg", &TcmLossOptions::l_neg, "weight of the negative term")
                   .output("loss")
                   .own_reduction("each term is the mean over its selected hard pairs")
                   .run(tcm_loss));
}

}  // namespace lathe
