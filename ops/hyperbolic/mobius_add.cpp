// mobius_add: Mobius addition on the Poincare ball of curvature -c, per row (last dim)
//   x (+)_c y = ((1 + 2c<x,y> + c|y|^2) x + (1 - c|x|^2) y) / (1 + 2c<x,y> + c^2|x|^2|y|^2 + 1e-5)
// Paper: "Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing"
// (catalog: other.md). Checked against hyptorch/pmath.py _mobius_add (the
// file Hyp-OC copies from leymir/hyperbolic-image-embeddings; Kartik-3004/hyp-oc's own copy is
// not in the searchable index): the same formula with the 1e-5 added to the denominator.
// Defaults: c 0.1 (Hyp-OC's config). x, y [..., D] broadcast. Composite (autograd).
#include "ops/hyperbolic/common.h"
#include "ops/hyperbolic/hyperbolic.h"

namespace lathe {

Tensor mobius_add(const Tensor& x, const Tensor& y, double c) {
  const char* op = "mobius_add";
  check_floating(op, "x", x);
  check_floating(op, "y", y);
  hyperbolic::check_curvature(op, c);
  LATHE_CHECK(x.dim() >= 1 && y.dim() >= 1, "[", op, "] x and y need a last (point) dim, got ",
              x.shape(), " and ", y.shape());
  broadcast_shapes(x.shape(), y.shape(), op);
  return hyperbolic::mobius_add_rows(x, y, c);                         // [..., D]
}

LATHE_REGISTER_OPS(mobius_add) {
  registry.add(OpDef("mobius_add", "hyperbolic")
                   .summary("Mobius addition x (+)_c y on the Poincare ball")
                   .paper("Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing")
                   .input("x")
                   .input("y")
                   .attr("c", 0.1, "negative curvature c > 0")
                   .output("z")
                   .run([](const OpCall& c) {
                     return Outputs{mobius_add(c.in("x"), c.in("y"), c.f("c"))};
                   }));
}

}  // namespace lathe
