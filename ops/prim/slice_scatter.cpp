// slice_scatter: y = x with y[..., start:end:step, ...] replaced by src (torch.slice_scatter).
// Backward: dx = g with the slice zeroed; dsrc = the slice of g.
#include "ops/prim/common.h"

namespace lathe {

int64_t slice_bounds(const char* op, int64_t n, int64_t& start, int64_t& end, int64_t step);

Tensor slice_scatter(const Tensor& x, const Tensor& src, int64_t axis, int64_t start,
                     int64_t end, int64_t step) {
  int ax = normalize_axis(axis, x.dim(), "slice_scatter");
  int64_t len = slice_bounds("slice_scatter", x.shape()[ax], start, end, step);
  Shape expected = x.shape();
  expected[ax] = len;
  LATHE_CHECK(src.shape() == expected, "[slice_scatter] src has shape ", src.shape(),
              ", the slice of ", x.shape(), " has ", expected);
  DType t = promote(x.dtype(), src.dtype());
  Tensor y = kernel::empty(x.shape(), t, x.device());
  kernel::copy("slice_scatter", x, y);
  kernel::copy("slice_scatter", src, slice(y.detach(), ax, start, end, step));
  record("slice_scatter", {x, src}, {y}, {}, [=](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor grad_x, grad_src;
    if (c.needs(0)) {
      Tensor zero = zeros(expected, g.dtype(), g.device());
      grad_x = slice_scatter(g, zero, ax, start, end, step);
    }
    if (c.needs(1)) grad_src = slice(g, ax, start, end, step);
    return {grad_x, grad_src};
  });
  return y;
}

LATHE_REGISTER_OPS(slice_scatter) {
  registry.add(OpDef("slice_scatter", "prim")
                   .summary("x with a slice replaced by src (torch.slice_scatter)")
                   .input("x")
                   .input("src")
                   .attr("axis", 0, "axis sliced")
                   .attr("start", 0, "first index written")
                   .attr("end", kEnd, "default: the end of the axis")
                   .attr("step", 1, "stride between written indices, > 0")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{slice_scatter(c.in("x"), c.in("src"), c.i("axis"),
                                                  c.i("start"), c.i("end"), c.i("step"))};
                   }));
}

}  // namespace lathe
