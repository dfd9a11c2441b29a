// cumsum: y_i = sum_{j <= i} x_j along an axis (reverse: sum_{j >= i}).
// Backward: each x_j feeds every y_i with i >= j, so dx = the reverse cumsum of the gradient.
#include "ops/prim/common.h"

namespace lathe {

Tensor cumsum(const Tensor& x, int64_t axis, bool reverse) {
  check_floating("cumsum", x);
  int ax = normalize_axis(axis, x.dim(), "cumsum");
  if (x.dim() == 0) return clone(x);
  const Backend& be = backend(x.device());
  Tensor y = kernel::empty(x.shape(), x.dtype(), x.device());
  lathe_view vx = view_of(x), vy = view_of(y);
  be.check(be.fn().scan(x.device().index, LATHE_SCAN_CUMSUM, &vx, &vy, ax, reverse), "cumsum");
  record("cumsum", {x}, {y}, {}, [ax, reverse](BackwardCtx& c) -> std::vector<Tensor> {
    return {cumsum(c.grad(), ax, !reverse)};
  });
  return y;
}

LATHE_REGISTER_OPS(cumsum) {
  registry.add(OpDef("cumsum", "prim")
                   .summary("cumulative sum along an axis")
                   .input("x")
                   .attr("axis", -1, "axis summed along")
                   .attr("reverse", false, "sum from the end of the axis")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{cumsum(c.in("x"), c.i("axis"), c.b("reverse"))};
                   }));
}

}  // namespace lathe
