// triplet_margin_with_distance_loss: l = max(0, d(a, p) - d(a, n) + margin) for anchor,
// positive and negative rows [N, D] (or [D]) with a named distance, PyTorch's
// F.triplet_margin_with_distance_loss:
//   'pairwise' (PyTorch's default distance_function=None): ||x - y + 1e-6||_2;
//   'cosine': 1 - x.y / max(||x|| ||y||, 1e-8) (1 - F.cosine_similarity).
// swap: d(a, n) := min(d(a, n), d(p, n)). Reduction 'mean' (over rows, default), 'sum', 'none'.
// Source: torch.nn.functional.triplet_margin_with_distance_loss (PyTorch 1.13); not in the
// catalog. PyTorch takes any callable; lathe's registry takes a name, and C++ callers who need
// another distance compose relu(d_ap - d_an + margin) themselves.
// Defaults: distance_function 'pairwise', margin 1.0 (must be > 0, as PyTorch checks), swap
// false, reduction 'mean'.
// Gradient (autograd); kink at the hinge, where the
// subgradient is PyTorch's clamp_min one (the sloped side's). Composite.
#include "losses/regression/parity.h"
#include "ops/composite.h"

namespace lathe {

namespace {
Tensor distance(const std::string& name, const Tensor& x, const Tensor& y) {
  if (name == "pairwise") {
    Tensor d = x - y + 1e-6;
    return sqrt(sum(d * d, {-1}));                                       // [N]
  }
  Tensor norms = sqrt(sum(x * x, {-1}) * sum(y * y, {-1}));              // [N]
  return 1.0 - sum(x * y, {-1}) / maximum(norms, 1e-8);
}
}  // namespace

Tensor triplet_margin_with_distance_loss(const Tensor& anchor, const Tensor& positive,
                                         const Tensor& negative,
                                         const TripletMarginWithDistanceLossOptions& o) {
  const char* op = "triplet_margin_with_distance_loss";
  check_floating(op, "anchor", anchor);
  check_floating(op, "positive", positive);
  check_floating(op, "negative", negative);
  LATHE_CHECK(anchor.dim() == 1 || anchor.dim() == 2, "[", op,
              "] anchor must be [N, D] or [D], got ", anchor.shape());
  check_same_shape(op, "anchor", anchor, "positive", positive);
  check_same_shape(op, "anchor", anchor, "negative", negative);
  Reduction reduction = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.margin > 0, "[", op, "] margin must be > 0, got ", o.margin);
  const std::string& f = o.distance_function;
  LATHE_CHECK(f == "pairwise" || f == "cosine", "[", op,
              "] distance_function must be pairwise or cosine, got '", f, "'");
  Tensor d_pos = distance(f, anchor, positive);                          // [N]
  Tensor d_neg = distance(f, anchor, negative);                          // [N]
  if (o.swap) d_neg = minimum(d_neg, distance(f, positive, negative));
  return apply_reduction(clamp(d_pos - d_neg + o.margin, 0.0), reduction);
}

LATHE_REGISTER_OPS(triplet_margin_with_distance_loss) {
  registry.add(OpDef("triplet_margin_with_distance_loss", "regression")
                   .summary("triplet hinge on a named distance, pairwise or cosine "
                            "(F.triplet_margin_with_distance_loss)")
                   .paper("torch.nn.functional.triplet_margin_with_distance_loss (PyTorch "
                          "parity)")
                   .input("anchor")
                   .input("positive")
                   .input("negative")
                   .options<TripletMarginWithDistanceLossOptions>()
                   .attr("distance_function",
                         &TripletMarginWithDistanceLossOptions::distance_function,
                         "pairwise (||x - y + 1e-6||_2, PyTorch's default) | cosine "
                         "(1 - cosine similarity)")
                   .attr("margin", &TripletMarginWithDistanceLossOptions::margin, "> 0")
                   .attr("swap", &TripletMarginWithDistanceLossOptions::swap,
                         "use min(d(a, n), d(p, n)) as the negative distance")
                   .attr("reduction", &TripletMarginWithDistanceLossOptions::reduction,
                         "none ([N]) | mean | sum")
                   .output("loss")
                   .run(triplet_margin_with_distance_loss));
}

}  // namespace lathe
