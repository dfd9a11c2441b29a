// masked_fill: y = value where mask, else x; the mask (bool) broadcasts to x's shape, never the
// other way (as torch.Tensor.masked_fill). Composite: a where; x gets the gradient where the
// mask is false.
#include "ops/composite.h"

namespace lathe {

Tensor masked_fill(const Tensor& x, const Tensor& mask, double value) {
  LATHE_CHECK(mask.dtype() == DType::boolean, "[masked_fill] mask must be bool, got ",
              dtype_name(mask.dtype()));
  const Shape& xs = x.shape();
  const Shape& ms = mask.shape();
  bool fits = ms.size() <= xs.size();
  for (int i = 0; fits && i < ms.size(); ++i) {
    int64_t m = ms[ms.size() - 1 - i], n = xs[xs.size() - 1 - i];
    fits = m == n || m == 1;
  }
  LATHE_CHECK(fits, "[masked_fill] mask of shape ", ms, " does not broadcast to x's shape ", xs);
  return where(mask, scalar_like(value, x), x);
}

LATHE_REGISTER_OPS(masked_fill) {
  registry.add(OpDef("masked_fill", "nn")
                   .summary("value where mask is true, x elsewhere")
                   .input("x", Kind::any)
                   .input("mask", Kind::boolean)
                   .attr("value", 0.0, "fill value")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) {
                     return Outputs{masked_fill(c.in("x"), c.in("mask"), c.f("value"))};
                   }));
}

}  // namespace lathe
