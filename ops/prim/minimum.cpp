// minimum: y = min(a, b) elementwise (broadcasting; NaN wins).
// Backward (PyTorch): the smaller input gets the gradient; on ties each gets half.
#include "ops/prim/common.h"

namespace lathe {

Tensor minimum(const Tensor& a, const Tensor& b) {
  DType t = promote(a.dtype(), b.dtype());
  Tensor y = kernel::binary("minimum", LATHE_BINARY_MINIMUM, a, b, t, t);
  record("minimum", {a, b}, {y}, {a, b}, [](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor a = c.saved(0), b = c.saved(1);
    Tensor shared = where(eq(a, b), g * 0.5, g);
    return {c.needs(0) ? where(gt(a, b), 0.0, shared) : Tensor(),
            c.needs(1) ? where(lt(a, b), 0.0, shared) : Tensor()};
  });
  return y;
}

Tensor minimum(const Tensor& a, double b) { return minimum(a, scalar_like(b, a)); }

LATHE_REGISTER_OPS(minimum) { registry.add(binary_def("minimum", "elementwise min(a, b)", minimum)); }

}  // namespace lathe
