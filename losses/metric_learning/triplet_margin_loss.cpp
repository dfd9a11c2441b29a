// triplet_margin_loss: the margin loss of given triplets (anchor, positive, negative [B, D]),
// PyTorch's F.triplet_margin_loss:
//   l_i = max(0, d(a_i, p_i) - d(a_i, n_i) + margin),   d(x, y) = ||x - y + eps||_p
// (eps is added to the difference inside the norm, as torch.pairwise_distance); swap uses
// min(d(a, n), d(p, n)) as the negative distance (Balntas et al.).
// Papers: "How Different from the Past? Spatio-Temporal Time Series Forecasting with
// Self-Supervised Deviation Learning"; "SuSana Distancia is all you need"; "GCoNet+: A Stronger
// Group Collaborative Co-Salient Object Detector" (catalog: metric_learning.md, standard).
// Also the torch.nn.functional parity loss of issue 17: rows [N, D] or one triplet [D].
// Defaults: margin 1 (>= 0), p 2 (> 0), eps 1e-6 (>= 0), swap false, reduction 'mean' (over
// triplets). Gradients: autograd; zero on inactive triplets; at the hinge, PyTorch's clamp_min
// subgradient (the sloped side's). The batch form with mining is batch_triplet_loss.
#include <cmath>

#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

namespace {
Tensor pnorm_distance(const Tensor& x, const Tensor& y, double p, double eps) {
  Tensor v = x - y + eps;                                          // [N, D]
  if (p == 2.0) return sqrt(sum(v * v, {-1}));                      // [N]
  if (p == 1.0) return sum(abs(v), {-1});
  return pow(sum(pow(abs(v), p), {-1}), 1.0 / p);
}
}  // namespace

Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                           const TripletMarginLossOptions& o) {
  const char* op = "triplet_margin_loss";
  check_floating(op, "anchor", anchor);
  LATHE_CHECK(anchor.dim() == 1 || anchor.dim() == 2, "[", op,
              "] anchor must be [N, D] or [D], got ", anchor.shape());
  check_floating(op, "positive", positive);
  check_floating(op, "negative", negative);
  check_same_shape(op, "anchor", anchor, "positive", positive);
  check_same_shape(op, "anchor", anchor, "negative", negative);
  Reduction r = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.margin >= 0, "[", op, "] margin must be >= 0, got ", o.margin);
  pairs::check_positive(op, "p", o.p);
  LATHE_CHECK(o.eps >= 0, "[", op, "] eps must be >= 0, got ", o.eps);
  Tensor d_ap = pnorm_distance(anchor, positive, o.p, o.eps);   // [N]
  Tensor d_an = pnorm_distance(anchor, negative, o.p, o.eps);   // [N]
  if (o.swap) d_an = minimum(d_an, pnorm_distance(positive, negative, o.p, o.eps));
  return apply_reduction(clamp(d_ap - d_an + o.margin, 0.0), r);
}

LATHE_REGISTER_OPS(triplet_margin_loss) {
  registry.add(OpDef("triplet_margin_loss", "metric_learning")
                   .summary("max(0, d(a, p) - d(a, n) + margin) of given triplets")
                   .paper("How Different from the Past? Spatio-Temporal Time Series Forecasting "
                          "with Self-Supervised Deviation Learning; SuSana Distancia is all you "
                          "need; GCoNet+: A Stronger Group Collaborative Co-Salient Object "
                          "Detector; Learning local feature descriptors with triplets and "
                          "shallow convolutional neural networks")
                   .input("anchor")
                   .input("positive")
                   .input("negative")
                   .options<TripletMarginLossOptions>()
                   .attr("margin", &TripletMarginLossOptions::margin, "the hinge's margin, >= 0")
                   .attr("p", &TripletMarginLossOptions::p, "the norm's order, > 0")
                   .attr("eps", &TripletMarginLossOptions::eps,
                         ">= 0, added to the difference inside the norm")
                   .attr("swap", &TripletMarginLossOptions::swap,
                         "d(a, n) := min(d(a, n), d(p, n))")
                   .attr("reduction", &TripletMarginLossOptions::reduction, "none ([N]) | mean | sum")
                   .output("loss")
                   .run(triplet_margin_loss));
}

}  // namespace lathe
