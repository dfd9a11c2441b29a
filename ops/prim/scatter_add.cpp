// scatter_add: y = x, then y[p with p[axis] = index[p]] += src[p] for every p of index
// (torch.scatter_add; src must have index's shape). Repeated indices accumulate.
// Backward: dx = g; dsrc = gather(g, index) (each src element landed in one place).
#include "ops/prim/common.h"
#include "ops/prim/indexing.h"

namespace lathe {

Tensor checked_index(const char* op, const Tensor& x, const Tensor& index, int ax,
                     const Shape& bound);
void check_index_status(const Backend& be, lathe_status status, const char* op,
                        const Tensor& index, int64_t size);

Tensor scatter_add(const Tensor& x, const Tensor& index, const Tensor& src, int64_t axis) {
  return scatter_add_as("scatter_add", x, index, src, axis);
}

Tensor scatter_add_as(const char* op, const Tensor& x, const Tensor& index, const Tensor& src,
                      int64_t axis) {
  int ax = normalize_axis(axis, x.dim(), op);
  LATHE_CHECK(src.shape() == index.shape(), "[", op, "] src shape ", src.shape(),
              " must equal index shape ", index.shape());
  Tensor idx = checked_index(op, x, index, ax, x.shape());
  const Backend& be = kernel::backend_for(op, {x, idx, src});
  DType t = promote(x.dtype(), src.dtype());
  Tensor y = kernel::empty(x.shape(), t, x.device());
  kernel::copy(op, x, y);
  Tensor s = src.dtype() == t ? src : kernel::contiguous_as(op, src, t);
  lathe_view vy = view_of(y), vi = view_of(idx), vs = view_of(s);
  check_index_status(be, be.fn().scatter_add(x.device().index, &vy, &vi, &vs, ax), op, idx,
                     x.shape()[ax]);
  record("scatter_add", {x, idx, src}, {y}, {idx}, [ax](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.grad(), Tensor(), c.needs(2) ? gather(c.grad(), c.saved(0), ax) : Tensor()};
  });
  return y;
}

LATHE_REGISTER_OPS(scatter_add) {
  registry.add(OpDef("scatter_add", "prim")
                   .summary("adds src into a copy of x at index positions (torch.scatter_add)")
                   .input("x")
                   .input("index", Kind::integer)
                   .input("src")
                   .attr("axis", 0, "axis that index scatters along")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{scatter_add(c.in("x"), c.in("index"), c.in("src"), c.i("axis"))};
                   }));
}

}  // namespace lathe
