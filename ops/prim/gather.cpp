// gather: y[p] = x[p with p[axis] replaced by index[p]]  (torch.gather); y has index's shape.
// Backward: each y[p] came from one x element, so dx = scatter_add(zeros, index, g).
#include "ops/prim/common.h"
#include "ops/prim/indexing.h"

namespace lathe {

// Shared by gather and scatter_add: index is integral, has x's rank and fits inside `bound`
// off the axis. Returns the index as i64.
Tensor checked_index(const char* op, const Tensor& x, const Tensor& index, int ax,
                     const Shape& bound) {
  LATHE_CHECK(is_integral(index.dtype()), "[", op, "] index must be an integer tensor, got ",
              index.dtype());
  LATHE_CHECK(index.dim() == x.dim(), "[", op, "] index ", index.shape(), " and input ", x.shape(),
              " must have the same number of dims");
  for (int d = 0; d < x.dim(); ++d)
    LATHE_CHECK(d == ax || index.shape()[d] <= bound[d], "[", op, "] index shape ", index.shape(),
                " exceeds ", bound, " at dim ", d);
  return index.dtype() == DType::i64 ? index : kernel::contiguous_as(op, index, DType::i64);
}

// Turns a backend's status into an error naming `op`: for LATHE_ERR_INDEX, with the first index
// (i64) outside [0, size) found on the host (the error path only; the kernels check on device).
void check_index_status(const Backend& be, lathe_status status, const char* op,
                        const Tensor& index, int64_t size) {
  if (status == LATHE_ERR_INDEX) {
    for (int64_t v : index.to_vector<int64_t>())
      LATHE_CHECK(v >= 0 && v < size, "[", op, "] index ", v, " out of range [0, ", size, ")");
  }
  be.check(status, op);
}

Tensor gather(const Tensor& x, const Tensor& index, int64_t axis) {
  return gather_as("gather", x, index, axis);
}

Tensor gather_as(const char* op, const Tensor& x, const Tensor& index, int64_t axis) {
  int ax = normalize_axis(axis, x.dim(), op);
  Tensor idx = checked_index(op, x, index, ax, x.shape());
  const Backend& be = kernel::backend_for(op, {x, idx});
  Tensor y = kernel::empty(idx.shape(), x.dtype(), x.device());
  lathe_view vx = view_of(x), vi = view_of(idx), vy = view_of(y);
  check_index_status(be, be.fn().gather(x.device().index, &vx, &vi, ax, &vy), op, idx,
                     x.shape()[ax]);
  Shape in_shape = x.shape();
  record("gather", {x, idx}, {y}, {idx}, [ax, in_shape](BackwardCtx& c) -> std::vector<Tensor> {
    Tensor zero = zeros(in_shape, c.grad().dtype(), c.grad().device());
    return {scatter_add(zero, c.saved(0), c.grad(), ax), Tensor()};
  });
  return y;
}

LATHE_REGISTER_OPS(gather) {
  registry.add(OpDef("gather", "prim")
                   .summary("picks x values along an axis by index (torch.gather)")
                   .input("x", Kind::any)
                   .input("index", Kind::integer)
                   .attr("axis", 0, "axis that index picks along")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) {
                     return Outputs{gather(c.in("x"), c.in("index"), c.i("axis"))};
                   }));
}

}  // namespace lathe
