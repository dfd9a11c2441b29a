// mul: y = a * b (broadcasting).
// Backward: dy/da = b, dy/db = a.
#include "ops/prim/common.h"

namespace lathe {

Tensor mul(const Tensor& a, const Tensor& b) {
  DType t = promote(a.dtype(), b.dtype());
  Tensor y = kernel::binary("mul", LATHE_BINARY_MUL, a, b, t, t);
  record("mul", {a, b}, {y}, {a, b}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.needs(0) ? c.grad() * c.saved(1) : Tensor(),
            c.needs(1) ? c.grad() * c.saved(0) : Tensor()};
  });
  return y;
}

Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator*(const Tensor& a, double b) { return mul(a, scalar_like(b, a)); }
Tensor operator*(double a, const Tensor& b) { return mul(scalar_like(a, b), b); }

LATHE_REGISTER_OPS(mul) { registry.add(binary_def("mul", "a * b", mul)); }

}  // namespace lathe
