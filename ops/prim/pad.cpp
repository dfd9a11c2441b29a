// pad: constant padding, F.pad's argument order: pads = (last_lo, last_hi, prev_lo, prev_hi, ...)
// covering the last pads.size()/2 dims. y = value outside, x inside.
// Backward: dx = the interior slice of the gradient.
#include "core/checked.h"
#include "ops/prim/common.h"

namespace lathe {

Tensor pad(const Tensor& x, const std::vector<int64_t>& pads, double value) {
  LATHE_CHECK(pads.size() % 2 == 0 && static_cast<int>(pads.size()) <= 2 * x.dim(),
              "[pad] pads must hold a (lo, hi) pair per padded dim, at most ", x.dim(),
              " pairs; got ", pads.size(), " values for shape ", x.shape());
  Shape shape = x.shape();
  std::vector<std::pair<int, int64_t>> interior;  // (dim, lo) for each padded dim
  for (size_t i = 0; i < pads.size(); i += 2) {
    int d = x.dim() - 1 - static_cast<int>(i / 2);
    LATHE_CHECK(pads[i] >= 0 && pads[i + 1] >= 0, "[pad] negative padding is not supported, got ",
                pads[i], ", ", pads[i + 1], " for dim ", d);
    shape[d] = checked_add(shape[d], checked_add(pads[i], pads[i + 1], "pad"), "pad");
    interior.push_back({d, pads[i]});
  }
  Tensor y = kernel::empty(shape, x.dtype(), x.device());
  kernel::fill("pad", y, value);
  Tensor inside = y.detach();
  for (auto [d, lo] : interior) inside = narrow(inside, d, lo, x.shape()[d]);
  kernel::copy("pad", x, inside);
  Shape in_shape = x.shape();
  record("pad", {x}, {y}, {}, [interior, in_shape](BackwardCtx& c) -> std::vector<Tensor> {
    Tensor g = c.grad();
    for (auto [d, lo] : interior) g = narrow(g, d, lo, in_shape[d]);
    return {g};
  });
  return y;
}

LATHE_REGISTER_OPS(pad) {
  registry.add(OpDef("pad", "prim")
                   .summary("constant padding in F.pad order (last dim first)")
                   .input("x")
                   .attr("pads", std::vector<int64_t>{}, "(lo, hi) per dim, last dim first")
                   .attr("value", 0.0, "fill value of the padding")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{pad(c.in("x"), c.ints("pads"), c.f("value"))};
                   }));
}

}  // namespace lathe
