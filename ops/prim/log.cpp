// log: y = ln x
// Backward: dy/dx = 1 / x.
#include "ops/prim/common.h"

namespace lathe {

Tensor log(const Tensor& x) {
  check_floating("log", x);
  Tensor y = kernel::unary("log", LATHE_UNARY_LOG, x);
  record("log", {x}, {y}, {x}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.grad() / c.saved(0)};
  });
  return y;
}

LATHE_REGISTER_OPS(log) { registry.add(unary_def("log", "natural logarithm", log)); }

}  // namespace lathe
