// transpose: swaps two dims (a view through permute). Composite.
#include "ops/composite.h"

namespace lathe {

Tensor transpose(const Tensor& x, int64_t dim0, int64_t dim1) {
  int a = normalize_axis(dim0, x.dim(), "transpose"), b = normalize_axis(dim1, x.dim(), "transpose");
  if (x.dim() < 2) return permute(x, x.dim() == 1 ? Axes{0} : Axes{});
  Axes dims;
  for (int i = 0; i < x.dim(); ++i) dims.push_back(i);
  std::swap(dims[a], dims[b]);
  return permute(x, dims);
}

LATHE_REGISTER_OPS(transpose) {
  registry.add(OpDef("transpose", "nn")
                   .summary("swaps two dims (a view)")
                   .input("x", Kind::any)
                   .attr("dim0", 0, "first axis to swap")
                   .attr("dim1", 1, "second axis to swap")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) {
                     return Outputs{transpose(c.in("x"), c.i("dim0"), c.i("dim1"))};
                   }));
}

}  // namespace lathe
