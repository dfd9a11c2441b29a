// index_select: picks whole slices of x along an axis by a 1-D index. Composite: a gather whose
// index is broadcast across the other dims (stride 0, no copy).
#include "ops/composite.h"
#include "ops/prim/indexing.h"

namespace lathe {

Tensor index_select(const Tensor& x, const Tensor& index, int64_t axis) {
  return index_select_as("index_select", x, index, axis);
}

Tensor index_select_as(const char* op, const Tensor& x, const Tensor& index, int64_t axis) {
  int ax = normalize_axis(axis, x.dim(), op);
  LATHE_CHECK(index.dim() == 1, "[", op, "] index must be 1-D, got shape ", index.shape());
  if (x.dim() == 0) return gather_as(op, x, reshape(index, {}), 0);
  Shape view = Shape::filled(x.dim(), 1), shape = x.shape();
  view[ax] = index.shape()[0];
  shape[ax] = index.shape()[0];
  return gather_as(op, x, expand(reshape(index, view), shape), ax);
}

LATHE_REGISTER_OPS(index_select) {
  registry.add(OpDef("index_select", "nn")
                   .summary("slices of x along an axis chosen by a 1-D index")
                   .input("x", Kind::any)
                   .input("index", Kind::integer)
                   .attr("axis", 0, "axis that index selects along")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) {
                     return Outputs{index_select(c.in("x"), c.in("index"), c.i("axis"))};
                   }));
}

}  // namespace lathe
