// max / min over axes, like torch.amax / torch.amin (values only; NaN propagates).
// Backward: the gradient is split evenly between the elements equal to the extreme:
//   dx = (x == y) * g / count(x == y)
#include "ops/prim/common.h"

namespace lathe {

namespace {
Tensor extreme(const char* op, lathe_reduce_op k, const Tensor& x, const Axes& axes,
               bool keepdim) {
  uint32_t mask = axes_mask(axes, x.dim(), op);
  for (int i = 0; i < x.dim(); ++i)
    LATHE_CHECK(!(mask & (1u << i)) || x.shape()[i] > 0, "[", op, "] cannot reduce axis ", i,
                " of size 0 (shape ", x.shape(), ")");
  Tensor y = reduce_kernel(op, k, x, mask, x.dtype());
  Tensor kept_y = y;
  if (!keepdim) y = drop_axes(y, mask);
  Shape kept = kept_y.shape();
  Axes reduced;
  for (int i = 0; i < x.dim(); ++i)
    if (mask & (1u << i)) reduced.push_back(i);
  record(op, {x}, {y}, {x, y}, [kept, reduced](BackwardCtx& c) -> std::vector<Tensor> {
    Tensor x = c.saved(0);
    Tensor hit = cast(eq(x, reshape(c.saved(1), kept)), x.dtype());  // [x.shape], 1 at extremes
    Tensor count = sum(hit, reduced, true);                           // [kept]
    return {hit * reshape(c.grad(), kept) / count};
  });
  return y;
}
}  // namespace

Tensor max(const Tensor& x, const Axes& axes, bool keepdim) {
  return extreme("max", LATHE_REDUCE_MAX, x, axes, keepdim);
}

Tensor min(const Tensor& x, const Axes& axes, bool keepdim) {
  return extreme("min", LATHE_REDUCE_MIN, x, axes, keepdim);
}

LATHE_REGISTER_OPS(max) {
  registry.add(reduction_def("max", "maximum over axes (ties share the gradient)", max));
  registry.add(reduction_def("min", "minimum over axes (ties share the gradient)", min));
}

}  // namespace lathe
