// unsqueeze: inserts a size-1 dim at `axis` (in [-(ndim+1), ndim]). A view.
// Backward: reshape the gradient back.
#include "ops/prim/common.h"

namespace lathe {

Tensor unsqueeze(const Tensor& x, int64_t axis) {
  int ax = normalize_axis(axis, x.dim() + 1, "unsqueeze");
  Shape shape = x.shape(), strides = x.strides();
  int64_t stride = ax < x.dim() ? x.strides()[ax] * x.shape()[ax] : 1;
  shape.insert(ax, 1);
  strides.insert(ax, stride);
  Tensor y = make_view(x, shape, strides, x.offset());
  Shape in_shape = x.shape();
  record("unsqueeze", {x}, {y}, {}, [in_shape](BackwardCtx& c) -> std::vector<Tensor> {
    return {reshape(c.grad(), in_shape)};
  });
  return y;
}

LATHE_REGISTER_OPS(unsqueeze) {
  registry.add(OpDef("unsqueeze", "prim")
                   .summary("inserts a size-1 dim (a view)")
                   .input("x", Kind::any)
                   .attr("axis", 0, "position of the new size-1 axis")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) { return Outputs{unsqueeze(c.in("x"), c.i("axis"))}; }));
}

}  // namespace lathe
