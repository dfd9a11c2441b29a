// topk: the k largest (or smallest) values along an axis with their indices, sorted. Composite:
// a stable sort, then the first k; ties keep their original order.
#include "ops/composite.h"

namespace lathe {

std::pair<Tensor, Tensor> topk(const Tensor& x, int64_t k, int64_t axis, bool largest) {
  int ax = normalize_axis(axis, x.dim(), "topk");
  int64_t n = x.dim() ? x.shape()[ax] : 1;
  LATHE_CHECK(k >= 0 && k <= n, "[topk] k = ", k, " out of range for axis ", axis, " of size ", n);
  auto [values, indices] = sort(x, ax, largest);
  if (x.dim() == 0) return {values, indices};
  return {narrow(values, ax, 0, k), narrow(indices, ax, 0, k)};
}

LATHE_REGISTER_OPS(topk) {
  registry.add(OpDef("topk", "nn")
                   .summary("k largest (or smallest) values along an axis, with indices")
                   .input("x", Kind::any)
                   .attr("k", 1, "number of entries kept")
                   .attr("axis", -1, "axis searched")
                   .attr("largest", true, "true: the k largest, false: the k smallest")
                   .output("values", Kind::any)
                   .output("indices", Kind::integer)
                   .run([](const OpCall& c) {
                     auto [values, indices] = topk(c.in("x"), c.i("k"), c.i("axis"), c.b("largest"));
                     return Outputs{values, indices};
                   }));
}

}  // namespace lathe
