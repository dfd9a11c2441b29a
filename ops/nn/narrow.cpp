// narrow: y = x[..., start:start+length, ...] along one axis (a view through slice). Composite.
#include "ops/composite.h"

namespace lathe {

Tensor narrow(const Tensor& x, int64_t axis, int64_t start, int64_t length) {
  int ax = normalize_axis(axis, x.dim(), "narrow");
  int64_t n = x.dim() ? x.shape()[ax] : 1;
  if (start < 0) start += n;
  // PyTorch's rule: an out-of-range start or length is an error (unlike slice, which clamps).
  // Compared as length <= n - start: start + length could overflow.
  LATHE_CHECK(start >= 0 && start <= n && length >= 0 && length <= n - start, "[narrow] start ",
              start, " and length ", length, " out of bounds for axis ", axis, " of size ", n);
  return slice(x, ax, start, start + length, 1);
}

LATHE_REGISTER_OPS(narrow) {
  registry.add(OpDef("narrow", "nn")
                   .summary("length elements from start along an axis (a view)")
                   .input("x", Kind::any)
                   .attr("axis", 0, "axis narrowed")
                   .attr("start", 0, "first index kept")
                   .attr("length", 1, "number of indices kept")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) {
                     return Outputs{narrow(c.in("x"), c.i("axis"), c.i("start"), c.i("length"))};
                   }));
}

}  // namespace lathe
