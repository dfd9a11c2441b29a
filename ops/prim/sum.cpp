// sum: y = sum of x over `axes` (all when empty); bool and integer inputs sum in i64.
// Backward: every summed element gets the output's gradient: reshape it to the keepdim shape
// and broadcast it back over x.
#include "ops/prim/common.h"

namespace lathe {

Tensor sum(const Tensor& x, const Axes& axes, bool keepdim) {
  uint32_t mask = axes_mask(axes, x.dim(), "sum");
  Tensor xs = is_floating(x.dtype()) || x.dtype() == DType::i64
                  ? x : kernel::contiguous_as("sum", x, DType::i64);
  Tensor y = reduce_kernel("sum", LATHE_REDUCE_SUM, xs, mask, xs.dtype());
  if (!keepdim) y = drop_axes(y, mask);
  Shape in_shape = x.shape(), kept = keepdim_shape(x.shape(), mask);
  record("sum", {x}, {y}, {}, [in_shape, kept](BackwardCtx& c) -> std::vector<Tensor> {
    return {expand(reshape(c.grad(), kept), in_shape)};
  });
  return y;
}

LATHE_REGISTER_OPS(sum) {
  registry.add(reduction_def("sum", "sum over axes", sum, Kind::any));
}

}  // namespace lathe
