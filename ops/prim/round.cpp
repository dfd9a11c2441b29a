// round: y = the nearest integer, halves to even (torch.round, nearbyint).
// Backward: zero almost everywhere, and zero at the jumps too (PyTorch's convention), so the
// rule returns zeros without saving anything.
#include "ops/prim/common.h"

namespace lathe {

Tensor round(const Tensor& x) {
  check_floating("round", x);
  Tensor y = kernel::unary("round", LATHE_UNARY_ROUND, x);
  record("round", {x}, {y}, {}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {zeros_like(c.grad())};
  });
  return y;
}

LATHE_REGISTER_OPS(round) {
  registry.add(unary_def("round", "nearest integer, halves to even", round));
}

}  // namespace lathe
