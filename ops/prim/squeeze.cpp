// squeeze: drops size-1 dims (all of them when `axes` is empty; a listed axis whose extent is
// not 1 is left alone, as in PyTorch). A view.
// Backward: reshape the gradient back.
#include "ops/prim/common.h"

namespace lathe {

Tensor squeeze(const Tensor& x, const Axes& axes) {
  uint32_t mask = axes.empty() ? 0xffffffffu : axes_mask(axes, x.dim(), "squeeze");
  Shape shape, strides;
  for (int i = 0; i < x.dim(); ++i) {
    if ((mask & (1u << i)) && x.shape()[i] == 1) continue;
    shape.push_back(x.shape()[i]);
    strides.push_back(x.strides()[i]);
  }
  Tensor y = make_view(x, shape, strides, x.offset());
  Shape in_shape = x.shape();
  record("squeeze", {x}, {y}, {}, [in_shape](BackwardCtx& c) -> std::vector<Tensor> {
    return {reshape(c.grad(), in_shape)};
  });
  return y;
}

LATHE_REGISTER_OPS(squeeze) {
  registry.add(OpDef("squeeze", "prim")
                   .summary("drops size-1 dims (a view)")
                   .input("x", Kind::any)
                   .attr("axes", std::vector<int64_t>{}, "axes to drop; empty = every size-1 axis")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) { return Outputs{squeeze(c.in("x"), c.ints("axes"))}; }));
}

}  // namespace lathe
