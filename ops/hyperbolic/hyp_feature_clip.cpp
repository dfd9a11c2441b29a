// hyp_feature_clip: Euclidean feature clipping before the map to the Poincare ball, per row
//   clip(x) = x min(1, r / (|x| + 1e-5))
// Paper: "Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing"
// (catalog: other.md; Hyp-OC's models.py / config.py, clip radius r 2, after
// "Clipped Hyperbolic Classifiers Are Super-Hyperbolic Classifiers"). Checked against
// Kartik-3004/hyp-oc hyptorch/nn.py ToPoincare.forward: norm + 1e-5, factor min(1, r / norm).
// Defaults: r 2. r must be > 0. Composite (autograd; min's kink at |x| + 1e-5 = r).
#include <cmath>

#include "ops/hyperbolic/common.h"
#include "ops/hyperbolic/hyperbolic.h"

namespace lathe {

Tensor hyp_feature_clip(const Tensor& x, double r) {
  const char* op = "hyp_feature_clip";
  check_floating(op, "x", x);
  LATHE_CHECK(r > 0 && std::isfinite(r), "[", op, "] r must be > 0, got ", r);
  LATHE_CHECK(x.dim() >= 1, "[", op, "] x needs a last (point) dim, got ", x.shape());
  Tensor n = hyperbolic::row_norm(x) + 1e-5;                           // [..., 1]
  return x * minimum(r / n, 1.0);                                      // [..., D]
}

LATHE_REGISTER_OPS(hyp_feature_clip) {
  registry.add(OpDef("hyp_feature_clip", "hyperbolic")
                   .summary("feature clipping x min(1, r / (|x| + 1e-5)) per row")
                   .paper("Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing")
                   .input("x")
                   .attr("r", 2.0, "clip radius r > 0")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{hyp_feature_clip(c.in("x"), c.f("r"))};
                   }));
}

}  // namespace lathe
