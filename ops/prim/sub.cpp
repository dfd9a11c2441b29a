// sub: y = a - b (broadcasting).
// Backward: dy/da = 1, dy/db = -1.
#include "ops/prim/common.h"

namespace lathe {

Tensor sub(const Tensor& a, const Tensor& b) {
  DType t = promote(a.dtype(), b.dtype());
  LATHE_CHECK(t != DType::boolean, "[sub] subtracting bool tensors; use logical_xor semantics "
              "explicitly (e.g. ne(a, b))");
  Tensor y = kernel::binary("sub", LATHE_BINARY_SUB, a, b, t, t);
  record("sub", {a, b}, {y}, {}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.grad(), c.needs(1) ? -c.grad() : Tensor()};
  });
  return y;
}

Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator-(const Tensor& a, double b) { return sub(a, scalar_like(b, a)); }
Tensor operator-(double a, const Tensor& b) { return sub(scalar_like(a, b), b); }
Tensor operator-(const Tensor& x) { return neg(x); }

LATHE_REGISTER_OPS(sub) { registry.add(binary_def("sub", "a - b", sub)); }

}  // namespace lathe
