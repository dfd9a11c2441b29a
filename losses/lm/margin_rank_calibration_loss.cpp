// margin_rank_calibration_loss: BRIO-style calibration of sequence likelihoods. B sources, each
// with m candidate scores f [B, m] sorted best first (f = kappa sum_t log p(s_t) / |S|^alpha,
// the caller's sequence score), optionally the gold summaries' scores [B]:
//   L = sum_{g=1}^{m-1} mean_{b, i} relu(f[b, i+g] - f[b, i] + g lambda)
//       (+ mean_{b, i} relu(f[b, i] - gold[b])    with gold scores: reference_status 'ensure'),
// a MarginRankingLoss per gap with margin g lambda (mean over the B (m - g) pairs of that gap,
// summed over gaps). A scalar per batch: the loss declares its own reduction.
// Paper: "What are the Desired Characteristics of Calibration Sets? Identifying Correlates on
// Long Form Scientific Summarization" (catalog: lm.md; official code
// griff4692/calibrating-summaries model/run.py contrast_step, contrast_objective margin_rank,
// adapted from BRIO; run script model/rel_fft.sh).
// Defaults: lambda 0.001 (--contrast_rank_margin). The scores' kappa (0.1 in rel_fft.sh) and
// alpha (2.0) belong to the caller's sequence score; the reference scores the gold summary with
// length exponent 1 (its quirk), also the caller's.
// Gradient (autograd): hinge subgradient (0 at a kink, relu's) into the scores and the gold
// scores. m = 1 gives 0.
// Composite.
#include "losses/lm/lm.h"
#include "ops/composite.h"

namespace lathe {

Tensor margin_rank_calibration_loss(const Tensor& scores, const MarginRankCalibrationLossOptions& o,
                                    const Tensor& gold_scores) {
  const char* op = "margin_rank_calibration_loss";
  check_floating(op, "scores", scores);
  check_dim(op, "scores", scores, 2);
  check_optional_shape(op, "gold_scores", gold_scores, {scores.shape()[0]});
  int64_t m = scores.shape()[1];
  Tensor loss = sum(scores) * 0.0;                                      // [] 0 with a graph
  for (int64_t g = 1; g < m; ++g) {
    Tensor worse = narrow(scores, 1, g, m - g);                         // [B, m-g] f[b, i+g]
    Tensor better = narrow(scores, 1, 0, m - g);                        // [B, m-g] f[b, i]
    loss = loss + mean(relu(worse - better + double(g) * o.margin));
  }
  if (gold_scores.defined()) loss = loss + mean(relu(scores - unsqueeze(gold_scores, 1)));
  return loss;
}

LATHE_REGISTER_OPS(margin_rank_calibration_loss) {
  registry.add(OpDef("margin_rank_calibration_loss", "lm")
                   .summary("BRIO-style margin ranking of candidate sequence scores, per gap")
                   .paper("What are the Desired Characteristics of Calibration Sets? "
                          "Identifying Correlates on Long Form Scientific Summarization")
                   .input("scores")
                   .input("gold_scores", Kind::floating, kOptional)
                   .attr("margin", 0.001, "lambda: the margin of gap g is g lambda")
                   .own_reduction("mean per gap, summed over gaps (a scalar per batch)")
                   .output("loss")
                   .run([](const OpCall& c) {
                     MarginRankCalibrationLossOptions o;
                     o.margin = c.f("margin");
                     return Outputs{margin_rank_calibration_loss(c.in("scores"), o,
                                                                 c.in("gold_scores"))};
                   }));
}

}  // namespace lathe
