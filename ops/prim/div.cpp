// div: y = a / b (broadcasting, true division: integers divide in f32).
// Backward: dy/da = 1 / b, dy/db = -a / b^2.
#include "ops/prim/common.h"

namespace lathe {

Tensor div(const Tensor& a, const Tensor& b) {
  DType t = float_result(a, b);
  Tensor y = kernel::binary("div", LATHE_BINARY_DIV, a, b, t, t);
  record("div", {a, b}, {y}, {a, b}, [](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor b = c.saved(1);
    return {c.needs(0) ? g / b : Tensor(), c.needs(1) ? -g * c.saved(0) / (b * b) : Tensor()};
  });
  return y;
}

Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator/(const Tensor& a, double b) { return div(a, scalar_like(b, a)); }
Tensor operator/(double a, const Tensor& b) { return div(scalar_like(a, b), b); }

LATHE_REGISTER_OPS(div) { registry.add(binary_def("div", "a / b", div)); }

}  // namespace lathe
