// sort: stable sort along an axis, returning values and their i64 source indices (NaN last in
// ascending order). Backward: values are a permutation of x, so each gradient goes back to where
// its value came from: dx = scatter_add(zeros, indices, g).
#include "ops/prim/common.h"

namespace lathe {

std::pair<Tensor, Tensor> sort(const Tensor& x, int64_t axis, bool descending) {
  int ax = normalize_axis(axis, x.dim(), "sort");
  if (x.dim() == 0) return {clone(x), zeros({}, DType::i64, x.device())};
  const Backend& be = backend(x.device());
  Tensor values = kernel::empty(x.shape(), x.dtype(), x.device());
  Tensor indices = kernel::empty(x.shape(), DType::i64, x.device());
  lathe_view vx = view_of(x), vv = view_of(values), vi = view_of(indices);
  be.check(be.fn().sort(x.device().index, &vx, &vv, &vi, ax, descending), "sort");
  Shape in_shape = x.shape();
  record("sort", {x}, {values, indices}, {indices},
         [ax, in_shape](BackwardCtx& c) -> std::vector<Tensor> {
           Tensor zero = zeros(in_shape, c.grad().dtype(), c.grad().device());
           return {scatter_add(zero, c.saved(0), c.grad(), ax)};
         });
  return {values, indices};
}

LATHE_REGISTER_OPS(sort) {
  registry.add(OpDef("sort", "prim")
                   .summary("stable sort along an axis: values and indices")
                   .input("x", Kind::any)
                   .attr("axis", -1, "axis sorted")
                   .attr("descending", false, "largest first")
                   .output("values", Kind::any)
                   .output("indices", Kind::integer)
                   .run([](const OpCall& c) {
                     auto [values, indices] = sort(c.in("x"), c.i("axis"), c.b("descending"));
                     return Outputs{values, indices};
                   }));
}

}  // namespace lathe
