// Comparisons eq ne lt le gt ge: y = (a op b) as bool, broadcasting, operands promoted to a
// common dtype. Not differentiable: they record nothing.
#include "ops/prim/common.h"

namespace lathe {

namespace {
Tensor compare(const char* op, lathe_binary_op k, const Tensor& a, const Tensor& b) {
  return kernel::binary(op, k, a, b, promote(a.dtype(), b.dtype()), DType::boolean);
}
}  // namespace

Tensor eq(const Tensor& a, const Tensor& b) { return compare("eq", LATHE_BINARY_EQ, a, b); }
Tensor ne(const Tensor& a, const Tensor& b) { return compare("ne", LATHE_BINARY_NE, a, b); }
Tensor lt(const Tensor& a, const Tensor& b) { return compare("lt", LATHE_BINARY_LT, a, b); }
Tensor le(const Tensor& a, const Tensor& b) { return compare("le", LATHE_BINARY_LE, a, b); }
Tensor gt(const Tensor& a, const Tensor& b) { return compare("gt", LATHE_BINARY_GT, a, b); }
Tensor ge(const Tensor& a, const Tensor& b) { return compare("ge", LATHE_BINARY_GE, a, b); }
Tensor eq(const Tensor& a, double b) { return eq(a, scalar_like(b, a)); }
Tensor ne(const Tensor& a, double b) { return ne(a, scalar_like(b, a)); }
Tensor lt(const Tensor& a, double b) { return lt(a, scalar_like(b, a)); }
Tensor le(const Tensor& a, double b) { return le(a, scalar_like(b, a)); }
Tensor gt(const Tensor& a, double b) { return gt(a, scalar_like(b, a)); }
Tensor ge(const Tensor& a, double b) { return ge(a, scalar_like(b, a)); }

LATHE_REGISTER_OPS(compare) {
  registry.add(binary_def("eq", "a == b", eq, Kind::any));
  registry.add(binary_def("ne", "a != b", ne, Kind::any));
  registry.add(binary_def("lt", "a < b", lt, Kind::any));
  registry.add(binary_def("le", "a <= b", le, Kind::any));
  registry.add(binary_def("gt", "a > b", gt, Kind::any));
  registry.add(binary_def("ge", "a >= b", ge, Kind::any));
}

}  // namespace lathe
