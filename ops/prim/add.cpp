// add: y = a + b (broadcasting).
// Backward: dy/da = dy/db = 1; the engine sums the gradient over broadcast dims.
#include "ops/prim/common.h"

namespace lathe {

Tensor add(const Tensor& a, const Tensor& b) {
  DType t = promote(a.dtype(), b.dtype());
  Tensor y = kernel::binary("add", LATHE_BINARY_ADD, a, b, t, t);
  record("add", {a, b}, {y}, {}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.grad(), c.grad()};
  });
  return y;
}

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator+(const Tensor& a, double b) { return add(a, scalar_like(b, a)); }
Tensor operator+(double a, const Tensor& b) { return add(scalar_like(a, b), b); }

LATHE_REGISTER_OPS(add) { registry.add(binary_def("add", "a + b", add)); }

}  // namespace lathe
