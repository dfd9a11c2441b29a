// slice: y = x[..., start:end:step, ...] along one axis (a view). start and end follow Python:
// negative values count from the end, out-of-range values clamp (PyTorch's semantics: a start
// past the end, even 2^62, gives an empty view, not an error). step > 0; any step is valid.
// Backward: place the gradient back into zeros of x's shape: slice_scatter.
#include <algorithm>

#include "core/checked.h"
#include "ops/prim/common.h"

namespace lathe {

// Normalizes Python-style bounds against an extent n; returns the slice length.
int64_t slice_bounds(const char* op, int64_t n, int64_t& start, int64_t& end, int64_t step) {
  LATHE_CHECK(step > 0, "[", op, "] step must be positive, got ", step);
  if (start < 0) start += n;
  if (end < 0) end += n;
  start = std::min(std::max<int64_t>(start, 0), n);
  end = std::min(std::max(end, start), n);
  // Not (end - start + step - 1) / step: that overflows for a step near 2^63.
  return end > start ? (end - start - 1) / step + 1 : 0;
}

Tensor slice(const Tensor& x, int64_t axis, int64_t start, int64_t end, int64_t step) {
  int ax = normalize_axis(axis, x.dim(), "slice");
  LATHE_CHECK(x.dim() > 0, "[slice] cannot slice a 0-d tensor");
  int64_t len = slice_bounds("slice", x.shape()[ax], start, end, step);
  Shape shape = x.shape(), strides = x.strides();
  shape[ax] = len;
  // With at most one element the step never moves the pointer, so a huge step is harmless.
  if (len > 1) strides[ax] = checked_mul(strides[ax], step, "slice");
  Tensor y = make_view(x, shape, strides, x.offset() + start * x.strides()[ax]);
  Shape in_shape = x.shape();
  record("slice", {x}, {y}, {}, [=](BackwardCtx& c) -> std::vector<Tensor> {
    Tensor zero = zeros(in_shape, c.grad().dtype(), c.grad().device());
    return {slice_scatter(zero, c.grad(), ax, start, end, step)};
  });
  return y;
}

LATHE_REGISTER_OPS(slice) {
  registry.add(OpDef("slice", "prim")
                   .summary("x[start:end:step] along an axis (a view)")
                   .input("x", Kind::any)
                   .attr("axis", 0, "axis sliced")
                   .attr("start", 0, "first index kept")
                   .attr("end", kEnd, "default: the end of the axis")
                   .attr("step", 1, "stride between kept indices, > 0")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) {
                     return Outputs{slice(c.in("x"), c.i("axis"), c.i("start"), c.i("end"),
                                          c.i("step"))};
                   }));
}

}  // namespace lathe
