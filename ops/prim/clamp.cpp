// clamp: y = min(max(x, lo), hi); NaN stays NaN; lo > hi gives hi everywhere (as PyTorch).
// Backward: dy/dx = 1 where lo <= x <= hi (bounds included, PyTorch's choice), else 0.
#include <cmath>
#include <limits>

#include "ops/prim/common.h"

namespace lathe {

Tensor clamp(const Tensor& x, double lo, double hi) {
  check_floating("clamp", x);
  LATHE_CHECK(!std::isnan(lo) && !std::isnan(hi), "[clamp] bounds must not be NaN");
  DType t = x.dtype();
  Tensor y = kernel::binary("clamp", LATHE_BINARY_MAXIMUM, x, scalar_like(lo, x), t, t);
  y = kernel::binary("clamp", LATHE_BINARY_MINIMUM, y, scalar_like(hi, x), t, t);
  record("clamp", {x}, {y}, {x}, [lo, hi](BackwardCtx& c) -> std::vector<Tensor> {
    Tensor inside = logical_and(ge(c.saved(0), lo), le(c.saved(0), hi));
    return {where(inside, c.grad(), 0.0)};
  });
  return y;
}

LATHE_REGISTER_OPS(clamp) {
  const double inf = std::numeric_limits<double>::infinity();
  registry.add(OpDef("clamp", "prim")
                   .summary("limits x to [min, max]")
                   .input("x")
                   .attr("min", -inf, "lower bound")
                   .attr("max", inf, "upper bound")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{clamp(c.in("x"), c.f("min"), c.f("max"))};
                   }));
}

}  // namespace lathe
