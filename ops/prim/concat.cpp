// concat: joins tensors along an existing axis (torch.cat); dtypes promote to a common one.
// Backward: input i receives the slice of the gradient it occupies.
#include "ops/prim/common.h"

namespace lathe {

Tensor concat(const std::vector<Tensor>& xs, int64_t axis) {
  LATHE_CHECK(!xs.empty(), "[concat] needs at least one tensor");
  const Tensor& first = xs[0];
  LATHE_CHECK(first.dim() > 0, "[concat] cannot concatenate 0-d tensors (use stack)");
  int ax = normalize_axis(axis, first.dim(), "concat");
  Shape shape = first.shape();
  DType t = first.dtype();
  shape[ax] = 0;
  std::vector<int64_t> sizes;
  for (size_t i = 0; i < xs.size(); ++i) {
    const Tensor& x = xs[i];
    LATHE_CHECK(x.device() == first.device(), "[concat] tensor ", i, " is on ", x.device(),
                ", tensor 0 on ", first.device());
    LATHE_CHECK(x.dim() == first.dim(), "[concat] tensor ", i, " has shape ", x.shape(),
                ", tensor 0 has ", first.shape());
    for (int d = 0; d < x.dim(); ++d)
      LATHE_CHECK(d == ax || x.shape()[d] == first.shape()[d], "[concat] tensor ", i,
                  " has shape ", x.shape(), ", tensor 0 has ", first.shape(),
                  ": they must match except along axis ", ax);
    shape[ax] += x.shape()[ax];
    sizes.push_back(x.shape()[ax]);
    t = promote(t, x.dtype());
  }
  Tensor y = kernel::empty(shape, t, first.device());
  int64_t offset = 0;
  for (const Tensor& x : xs) {
    kernel::copy("concat", x, narrow(y.detach(), ax, offset, x.shape()[ax]));
    offset += x.shape()[ax];
  }
  record("concat", xs, {y}, {}, [ax, sizes](BackwardCtx& c) -> std::vector<Tensor> {
    std::vector<Tensor> grads;
    int64_t start = 0;
    for (int64_t n : sizes) {
      grads.push_back(narrow(c.grad(), ax, start, n));
      start += n;
    }
    return grads;
  });
  return y;
}

LATHE_REGISTER_OPS(concat) {
  registry.add(OpDef("concat", "prim")
                   .summary("joins tensors along an existing axis (torch.cat)")
                   .input("xs", Kind::any, kVariadic)
                   .attr("axis", 0, "axis joined along")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) { return Outputs{concat(c.ins("xs"), c.i("axis"))}; }));
}

}  // namespace lathe
