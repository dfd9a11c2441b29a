// triplet_margin_loss: l = max(0, d(a, p) - d(a, n) + margin) for anchor, positive and negative
// rows [N, D] (or [D]), d(x, y) = ||x - y + eps||_p over the last dim (eps added to the
// difference, as PyTorch's pairwise_distance); swap: d(a, n) := min(d(a, n), d(p, n)) (Balntas
// et al., "Learning local feature descriptors with triplets and shallow convolutional neural
// networks", BMVC 2016). PyTorch's F.triplet_margin_loss; reduction 'mean' (over rows,
// default), 'sum', 'none' ([N]).
// Catalog: metric_learning.md, triplet_margin_loss (confidence standard; defaults p 2, margin 1,
// eps 1e-6, swap false agree with PyTorch). Registered in the regression family here.
// NOTE (for the merge): the catalog lists this op under metric_learning, which the "embedding"
// branch owns; this parity implementation is the one issue 17's parity list asks for.
// Defaults: margin 1.0 (>= 0), p 2 (> 0), eps 1e-6 (>= 0), swap false, reduction 'mean'.
// Gradient (autograd): zero when inactive, else d d(a,p)/da - d d(a,n)/da with
// d||v||_p/dv = sign(v) |v|^(p-1) / ||v||_p^(p-1); kink at the hinge, where the
// subgradient is PyTorch's clamp_min one (the sloped side's). Composite.
#include "losses/regression/parity.h"
#include "ops/composite.h"

namespace lathe {

namespace {
// ||x - y + eps||_p over the last dim: [N, D] -> [N].
Tensor pairwise_distance(const Tensor& x, const Tensor& y, double p, double eps) {
  Tensor d = x - y + eps;
  if (p == 2) return sqrt(sum(d * d, {-1}));
  if (p == 1) return sum(abs(d), {-1});
  return pow(sum(pow(abs(d), p), {-1}), 1.0 / p);
}
}  // namespace

Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                           const TripletMarginLossOptions& o) {
  const char* op = "triplet_margin_loss";
  check_floating(op, "anchor", anchor);
  check_floating(op, "positive", positive);
  check_floating(op, "negative", negative);
  LATHE_CHECK(anchor.dim() == 1 || anchor.dim() == 2, "[", op,
              "] anchor must be [N, D] or [D], got ", anchor.shape());
  check_same_shape(op, "anchor", anchor, "positive", positive);
  check_same_shape(op, "anchor", anchor, "negative", negative);
  Reduction reduction = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.margin >= 0, "[", op, "] margin must be >= 0, got ", o.margin);
  LATHE_CHECK(o.p > 0, "[", op, "] p must be > 0, got ", o.p);
  LATHE_CHECK(o.eps >= 0, "[", op, "] eps must be >= 0, got ", o.eps);
  Tensor d_pos = pairwise_distance(anchor, positive, o.p, o.eps);        // [N]
  Tensor d_neg = pairwise_distance(anchor, negative, o.p, o.eps);        // [N]
  if (o.swap) d_neg = minimum(d_neg, pairwise_distance(positive, negative, o.p, o.eps));
  return apply_reduction(clamp(d_pos - d_neg + o.margin, 0.0), reduction);
}

LATHE_REGISTER_OPS(triplet_margin_loss) {
  registry.add(OpDef("triplet_margin_loss", "regression")
                   .summary("triplet hinge on p-norm distances (F.triplet_margin_loss)")
                   .paper("torch.nn.functional.triplet_margin_loss (PyTorch parity); Learning "
                          "local feature descriptors with triplets and shallow convolutional "
                          "neural networks")
                   .input("anchor")
                   .input("positive")
                   .input("negative")
                   .options<TripletMarginLossOptions>()
                   .attr("margin", &TripletMarginLossOptions::margin, ">= 0")
                   .attr("p", &TripletMarginLossOptions::p, "> 0, the norm of the distance")
                   .attr("eps", &TripletMarginLossOptions::eps,
                         ">= 0, added to the difference inside the norm")
                   .attr("swap", &TripletMarginLossOptions::swap,
                         "use min(d(a, n), d(p, n)) as the negative distance")
                   .attr("reduction", &TripletMarginLossOptions::reduction,
                         "none ([N]) | mean | sum")
                   .output("loss")
                   .run(triplet_margin_loss));
}

}  // namespace lathe
