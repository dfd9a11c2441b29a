// sign: y = sign(x) in {-1, 0, 1}
// Backward: dy/dx = 0 everywhere it exists (PyTorch returns zeros).
#include "ops/prim/common.h"

namespace lathe {

Tensor sign(const Tensor& x) {
  check_floating("sign", x);
  Tensor y = kernel::unary("sign", LATHE_UNARY_SIGN, x);
  record("sign", {x}, {y}, {}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {zeros_like(c.grad())};
  });
  return y;
}

LATHE_REGISTER_OPS(sign) { registry.add(unary_def("sign", "sign, -1/0/+1", sign)); }

}  // namespace lathe
