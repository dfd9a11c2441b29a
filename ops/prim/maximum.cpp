// maximum: y = max(a, b) elementwise (broadcasting; NaN wins).
// Backward (PyTorch): the larger input gets the gradient; on ties each gets half.
#include "ops/prim/common.h"

namespace lathe {

Tensor maximum(const Tensor& a, const Tensor& b) {
  DType t = promote(a.dtype(), b.dtype());
  Tensor y = kernel::binary("maximum", LATHE_BINARY_MAXIMUM, a, b, t, t);
  record("maximum", {a, b}, {y}, {a, b}, [](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor a = c.saved(0), b = c.saved(1);
    Tensor shared = where(eq(a, b), g * 0.5, g);
    return {c.needs(0) ? where(lt(a, b), 0.0, shared) : Tensor(),
            c.needs(1) ? where(gt(a, b), 0.0, shared) : Tensor()};
  });
  return y;
}

Tensor maximum(const Tensor& a, double b) { return maximum(a, scalar_like(b, a)); }

LATHE_REGISTER_OPS(maximum) { registry.add(binary_def("maximum", "elementwise max(a, b)", maximum)); }

}  // namespace lathe
