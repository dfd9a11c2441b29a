// scatter_add: y = x, then y[p with p[axis] = index[p]] += src[p] for every p of index
// (torch.scatter_add; src must have index's shape). Repeated indices accumulate.
// Backward: dx = g; dsrc = gather(g, index) (each src element landed in one place).
#include "ops/prim/common.h"

namespace lathe {

Tensor checked_index(const char* op, const Tensor& x, const Tensor& index, int ax,
                     const Shape& bound);

Tensor scatter_add(const Tensor& x, const Tensor& index, const Tensor& src, int64_t axis) {
  int ax = normalize_axis(axis, x.dim(), "scatter_add");
  LATHE_CHECK(src.shape() == index.shape(), "[scatter_add] src shape ", src.shape(),
              " must equal index shape ", index.shape());
  Tensor idx = checked_index("scatter_add", x, index, ax, x.shape());
  const Backend& be = kernel::backend_for("scatter_add", {x, idx, src});
  DType t = promote(x.dtype(), src.dtype());
  Tensor y = kernel::empty(x.shape(), t, x.device());
  kernel::copy("scatter_add", x, y);
  Tensor s = src.dtype() == t ? src : kernel::contiguous_as("scatter_add", src, t);
  lathe_view vy = view_of(y), vi = view_of(idx), vs = view_of(s);
  be.check(be.fn().scatter_add(x.device().index, &vy, &vi, &vs, ax), "scatter_add");
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
