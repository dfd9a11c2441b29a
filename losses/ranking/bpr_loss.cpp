// bpr_loss: Bayesian personalized ranking of a positive item's score s+ over a negative one's
// s- (paired, same shape):
//   l = -log sigmoid(s+ - s-) = softplus(-(s+ - s-)),
// reduced 'mean' over the pairs (default), 'sum' or 'none'. The pointwise alternative is
// bce_with_logits.
// Papers: "Personalized Denoising Implicit Feedback for Robust Recommender System"; "Few-shot
// Model Extraction Attacks against Sequential Recommender Systems" (catalog: ranking.md,
// standard; Rendle et al.'s BPR).
// Defaults: reduction 'mean'.
// Gradients (autograd): dl/ds+ = -sigmoid(-(s+ - s-)), dl/ds- its negative. softplus keeps
// score gaps of +-1e4 finite.
// Composite.
#include "losses/ranking/ranking.h"
#include "ops/composite.h"

namespace lathe {

Tensor bpr_loss(const Tensor& pos, const Tensor& neg, const BprLossOptions& options) {
  const char* op = "bpr_loss";
  check_floating(op, "pos", pos);
  check_floating(op, "neg", neg);
  check_same_shape(op, "pos", pos, "neg", neg);
  Reduction r = parse_reduction(op, options.reduction);
  return apply_reduction(softplus(neg - pos), r);   // [...] per pair
}

LATHE_REGISTER_OPS(bpr_loss) {
  registry.add(OpDef("bpr_loss", "ranking")
                   .summary("Bayesian personalized ranking softplus(-(s_pos - s_neg))")
                   .paper("Personalized Denoising Implicit Feedback for Robust Recommender "
                          "System; Few-shot Model Extraction Attacks against Sequential "
                          "Recommender Systems")
                   .input("pos")
                   .input("neg")
                   .options<BprLossOptions>()
                   .attr("reduction", &BprLossOptions::reduction,
                         "none | mean | sum, over the pairs")
                   .output("loss")
                   .run(bpr_loss));
}

}  // namespace lathe
