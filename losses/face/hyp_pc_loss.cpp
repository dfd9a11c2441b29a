// hyp_pc_loss: Hyp-OC's hyperbolic pairwise confusion. The real samples' Poincare-ball
// embeddings f [B, D] (B even) are split into halves L = f[:B/2], R = f[B/2:]; with Moebius
// addition of curvature c,
//   x (+)_c y = ((1 + 2c<x,y> + c|y|^2) x + (1 - c|x|^2) y) / (1 + 2c<x,y> + c^2|x|^2|y|^2 + 1e-5)
//   d_i = (2 / sqrt c) arctan(sqrt c |(-L_i) (+)_c R_i|)
//   L = sum_i d_i / B
// Paper: "Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing" (Narayan et
// al.); code Kartik-3004/hyp-oc loss.py TPC_loss_hyp and hyptorch/pmath.py (the 1e-5 in the
// denominator is pmath's). NOTE: two quirks of the reference are kept, as the catalog records
// them: arctan where the Poincare distance has artanh, and a division by B, not by the B/2
// pairs. true_distance = true uses (2 / sqrt c) artanh(min(sqrt c |.|, 1 - 1e-5)) instead.
// Reduction: each pair's d_i / 2 is its loss ('none' gives [B/2]); 'mean' over the pairs is
// then the reference's sum / B, 'sum' is half the distances' sum.
// Defaults: c 0.1. Gradients: autograd; the norm has a zero gradient at 0 (identical halves).
#include <cmath>

#include "losses/face/face_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor hyp_pc_loss(const Tensor& f, const HypPcLossOptions& o) {
  const char* op = "hyp_pc_loss";
  pairs::check_embeddings(op, "f", f);
  LATHE_CHECK(f.size(0) >= 2 && f.size(0) % 2 == 0, "[", op,
              "] f must hold an even number of rows (two halves), got ", f.size(0));
  pairs::check_positive(op, "c", o.c);
  Reduction r = parse_reduction(op, o.reduction);
  const int64_t h = f.size(0) / 2;
  const double c = o.c, sc = std::sqrt(o.c);
  Tensor x = -f.narrow(0, 0, h);                                       // [h, D]
  Tensor y = f.narrow(0, h, h);                                        // [h, D]
  Tensor x2 = sum(x * x, {1}, true), y2 = sum(y * y, {1}, true);       // [h, 1]
  Tensor xy = sum(x * y, {1}, true);                                   // [h, 1]
  Tensor num = (1.0 + 2.0 * c * xy + c * y2) * x + (1.0 - c * x2) * y;   // [h, D]
  Tensor den = 1.0 + 2.0 * c * xy + c * c * x2 * y2 + 1e-5;            // [h, 1]
  Tensor m = sc * pairs::safe_sqrt(sum(pow(num / den, 2.0), {1}));     // [h]
  Tensor d = o.true_distance ? atanh(minimum(m, 1.0 - 1e-5)) : atan2(m, ones_like(m));
  return apply_reduction(d * (1.0 / sc), r);                           // (2/sc) d / 2
}

LATHE_REGISTER_OPS(hyp_pc_loss) {
  registry.add(OpDef("hyp_pc_loss", "face")
                   .summary("Hyp-OC: arctan of the Moebius gap between the batch's two halves")
                   .paper("Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing")
                   .input("f")
                   .options<HypPcLossOptions>()
                   .attr("c", &HypPcLossOptions::c, "curvature of the Poincare ball, > 0")
                   .attr("true_distance", &HypPcLossOptions::true_distance,
                         "artanh (the Poincare distance) instead of the reference's arctan")
                   .attr("reduction", &HypPcLossOptions::reduction,
                         "none | mean | sum over pairs (each pair's loss is d / 2)")
                   .output("loss")
                   .run(hyp_pc_loss));
}

}  // namespace lathe
