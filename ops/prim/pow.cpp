// pow: y = a^b (broadcasting; integers compute in f32).
// Backward (PyTorch's masking, so a = 0 gives finite gradients):
//   dy/da = b a^(b-1), and 0 where b == 0
//   dy/db = y ln a,    and 0 where a == 0 and b >= 0
#include "ops/prim/common.h"

namespace lathe {

Tensor pow(const Tensor& a, const Tensor& b) {
  DType t = float_result(a, b);
  Tensor y = kernel::binary("pow", LATHE_BINARY_POW, a, b, t, t);
  record("pow", {a, b}, {y}, {a, b, y}, [](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor a = c.saved(0), b = c.saved(1);
    Tensor grad_a, grad_b;
    if (c.needs(0)) grad_a = where(eq(b, 0.0), 0.0, g * b * pow(a, b - 1.0));
    if (c.needs(1))
      grad_b = where(logical_and(eq(a, 0.0), ge(b, 0.0)), 0.0, g * c.saved(2) * log(a));
    return {grad_a, grad_b};
  });
  return y;
}

Tensor pow(const Tensor& a, double exponent) { return pow(a, scalar_like(exponent, a)); }

LATHE_REGISTER_OPS(pow) { registry.add(binary_def("pow", "a ^ b", pow)); }

}  // namespace lathe
