// Logic on bool tensors: logical_and, logical_or (broadcasting), logical_not. No gradient.
#include "ops/prim/common.h"

namespace lathe {

namespace {
Tensor logical(const char* op, lathe_binary_op k, const Tensor& a, const Tensor& b) {
  LATHE_CHECK(a.dtype() == DType::boolean && b.dtype() == DType::boolean, "[", op,
              "] expected bool tensors, got ", a.dtype(), " and ", b.dtype());
  return kernel::binary(op, k, a, b, DType::boolean, DType::boolean);
}
}  // namespace

Tensor logical_and(const Tensor& a, const Tensor& b) {
  return logical("logical_and", LATHE_BINARY_AND, a, b);
}

Tensor logical_or(const Tensor& a, const Tensor& b) {
  return logical("logical_or", LATHE_BINARY_OR, a, b);
}

Tensor logical_not(const Tensor& x) {
  LATHE_CHECK(x.dtype() == DType::boolean, "[logical_not] expected a bool tensor, got ", x.dtype());
  return kernel::unary("logical_not", LATHE_UNARY_NOT, x);
}

LATHE_REGISTER_OPS(logical) {
  registry.add(binary_def("logical_and", "a and b", logical_and, Kind::boolean));
  registry.add(binary_def("logical_or", "a or b", logical_or, Kind::boolean));
  registry.add(OpDef("logical_not", "prim")
                   .summary("not x")
                   .input("x", Kind::boolean)
                   .output("y", Kind::boolean)
                   .run([](const OpCall& c) { return Outputs{logical_not(c.in("x"))}; }));
}

}  // namespace lathe
