// triplet_margin_loss: the margin loss of given triplets (anchor, positive, negative [B, D]),
// PyTorch's F.triplet_margin_loss:
//   l_i = max(0, d(a_i, p_i) - d(a_i, n_i) + margin),   d(x, y) = ||x - y + eps||_p
// (eps is added to the difference inside the norm, as torch.pairwise_distance); swap uses
// min(d(a, n), d(p, n)) as the negative distance (Balntas et al.).
// Papers: "How Different from the Past? Spatio-Temporal Time Series Forecasting with
// Self-Supervised Deviation Learning"; "SuSana Distancia is all you need"; "GCoNet+: A Stronger
// Group Collaborative Co-Salient Object Detector" (catalog: metric_learning.md, standard).
// Defaults: margin 1, p 2, eps 1e-6, swap false, reduction 'mean' (over triplets).
// Gradients: autograd; zero on inactive triplets; hinge kinks kept out of gradcheck. The batch
// form with mining is batch_triplet_loss.
#include <cmath>

#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

namespace {
Tensor pnorm_distance(const Tensor& x, const Tensor& y, double p, double eps) {
  Tensor v = x - y + eps;                                          // [B, D]
  if (p == 2.0) return sqrt(sum(v * v, {-1}));                      // [B]
  if (p == 1.0) return sum(abs(v), {-1});
  return pow(sum(pow(abs(v), p), {-1}), 1.0 / p);
}
}  // namespace

Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                           const TripletMarginLossOptions& o) {
  const char* op = "triplet_margin_loss";
  pairs::check_embeddings(op, "anchor", anchor);
  check_floating(op, "positive", positive);
  check_floating(op, "negative", negative);
  check_same_shape(op, "anchor", anchor, "positive", positive);
  check_same_shape(op, "anchor", anchor, "negative", negative);
  pairs::check_positive(op, "p", o.p);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor d_ap = pnorm_distance(anchor, positive, o.p, o.eps);   // [B]
  Tensor d_an = pnorm_distance(anchor, negative, o.p, o.eps);   // [B]
  if (o.swap) d_an = minimum(d_an, pnorm_distance(positive, negative, o.p, o.eps));
  return apply_reduction(relu(d_ap - d_an + o.margin), r);
}

LATHE_REGISTER_OPS(triplet_margin_loss) {
  registry.add(OpDef("triplet_margin_loss", "metric_learning")
                   .summary("max(0, d(a, p) - d(a, n) + margin) of given triplets")
                   .paper("How Different from the Past? Spatio-Temporal Time Series Forecasting "
                          "with Self-Supervised Deviation Learning; SuSana Distancia is all you "
                          "need; GCoNet+: A Stronger Group Collaborative Co-Salient Object "
                          "Detector")
                   .input("anchor")
                   .input("positive")
                   .input("negative")
                   .options<TripletMarginLossOptions>()
                   .attr("margin", &TripletMarginLossOptions::margin, "the hinge's margin")
                   .attr("p", &TripletMarginLossOptions::p, "the norm's order, > 0")
                   .attr("eps", &TripletMarginLossOptions::eps,
                         "added to the difference inside the norm")
                   .attr("swap", &TripletMarginLossOptions::swap,
                         "d(a, n) := min(d(a, n), d(p, n))")
                   .attr("reduction", &TripletMarginLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(triplet_margin_loss));
}

}  // namespace lathe
