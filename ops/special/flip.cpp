// flip: reverses x along each of dims (torch.flip). Composite: one index_select per dim with
// the reversed index; its gradient is the same flip (scatter_add of a permutation).
#include "ops/composite.h"

namespace lathe {

Tensor flip(const Tensor& x, const Axes& dims) {
  axes_mask(dims, x.dim(), "flip");  // throws on an axis out of range or given twice
  Tensor y = x;
  for (int64_t d : dims) {
    int ax = normalize_axis(d, x.dim(), "flip");
    int64_t n = x.shape()[ax];
    y = index_select(y, arange(static_cast<double>(n - 1), -1.0, -1.0, DType::i64, x.device()), ax);
  }
  return y;
}

LATHE_REGISTER_OPS(flip) {
  registry.add(OpDef("flip", "nn")
                   .summary("x reversed along each of dims")
                   .input("x", Kind::any)
                   .attr("dims", std::vector<int64_t>{0}, "axes reversed")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) { return Outputs{flip(c.in("x"), c.ints("dims"))}; }));
}

}  // namespace lathe
