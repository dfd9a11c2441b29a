// ceil: y = the smallest integer >= x.
// Backward: zero almost everywhere, and zero at the jumps too (PyTorch's convention), so the
// rule returns zeros without saving anything.
#include "ops/prim/common.h"

namespace lathe {

Tensor ceil(const Tensor& x) {
  check_floating("ceil", x);
  Tensor y = kernel::unary("ceil", LATHE_UNARY_CEIL, x);
  record("ceil", {x}, {y}, {}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {zeros_like(c.grad())};
  });
  return y;
}

LATHE_REGISTER_OPS(ceil) { registry.add(unary_def("ceil", "round towards +inf", ceil)); }

}  // namespace lathe
