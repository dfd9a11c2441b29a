// floor: y = the largest integer <= x.
// Backward: zero almost everywhere, and zero at the jumps too (PyTorch's convention), so the
// rule returns zeros without saving anything.
#include "ops/prim/common.h"

namespace lathe {

Tensor floor(const Tensor& x) {
  check_floating("floor", x);
  Tensor y = kernel::unary("floor", LATHE_UNARY_FLOOR, x);
  record("floor", {x}, {y}, {}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {zeros_like(c.grad())};
  });
  return y;
}

LATHE_REGISTER_OPS(floor) { registry.add(unary_def("floor", "round towards -inf", floor)); }

}  // namespace lathe
