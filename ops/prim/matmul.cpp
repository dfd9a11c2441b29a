// matmul: y = a @ b with torch.matmul's rules. The primitive multiplies [..., M, K] by
// [..., K, N] with broadcast batch dims; 1-D operands are promoted to a row (a) or a column (b)
// and that dim is dropped from the result.
// Backward: da = g @ b^T, db = a^T @ g (batch broadcasting is undone by the engine).
#include "ops/prim/common.h"

namespace lathe {

namespace {
// Whether the last two dims of t are stored column-major (t is the transpose of a row-major
// matrix).
bool is_transposed(const Tensor& t) {
  int n = t.dim();
  return t.strides()[n - 2] == 1 && t.shape()[n - 2] > 1 && t.strides()[n - 1] >= t.shape()[n - 2];
}

Tensor matmul_nd(const Tensor& a, const Tensor& b) {  // both at least 2-D
  int64_t m = a.shape()[a.dim() - 2], k = a.shape().back();
  int64_t k2 = b.shape()[b.dim() - 2], n = b.shape().back();
  LATHE_CHECK(k == k2, "[matmul] shapes ", a.shape(), " and ", b.shape(), " cannot be multiplied (",
              k, " columns vs ", k2, " rows)");
  DType t = promote(a.dtype(), b.dtype());
  LATHE_CHECK(is_floating(t), "[matmul] expected floating tensors, got ", a.dtype(), " and ",
              b.dtype());
  const Backend& be = kernel::backend_for("matmul", {a, b});
  Shape batch_a = a.shape(), batch_b = b.shape();
  batch_a.erase(a.dim() - 1);
  batch_a.erase(a.dim() - 2);
  batch_b.erase(b.dim() - 1);
  batch_b.erase(b.dim() - 2);
  Shape batch = broadcast_shapes(batch_a, batch_b, "matmul");
  Shape shape_a = batch, shape_b = batch, shape_y = batch;
  shape_a.push_back(m), shape_a.push_back(k);
  shape_b.push_back(k), shape_b.push_back(n);
  shape_y.push_back(m), shape_y.push_back(n);
  Tensor ac = a.dtype() == t ? a : kernel::contiguous_as("matmul", a, t);
  Tensor bc = b.dtype() == t ? b : kernel::contiguous_as("matmul", b, t);
  Tensor y = kernel::empty(shape_y, t, a.device());
  lathe_view va = view_of(ac, shape_a), vb = view_of(bc, shape_b), vy = view_of(y);
  be.check(be.fn().matmul(a.device().index, &va, &vb, &vy), "matmul");
  record("matmul", {a, b}, {y}, {a, b}, [](BackwardCtx& c) -> std::vector<Tensor> {
    const Tensor& g = c.grad();
    Tensor a = c.saved(0), b = c.saved(1);
    // Each gradient is produced in its operand's layout: for a transposed operand (W^T in a
    // linear layer) the product is computed transposed, so the gradient that reaches W is
    // contiguous instead of a transposed view that has to be copied.
    Tensor grad_a, grad_b;
    if (c.needs(0))
      grad_a = is_transposed(a) ? transpose(matmul_nd(b, transpose(g, -1, -2)), -1, -2)
                                : matmul_nd(g, transpose(b, -1, -2));
    if (c.needs(1))
      grad_b = is_transposed(b) ? transpose(matmul_nd(transpose(g, -1, -2), a), -1, -2)
                                : matmul_nd(transpose(a, -1, -2), g);
    return {grad_a, grad_b};
  });
  return y;
}
}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
  LATHE_CHECK(a.dim() >= 1 && b.dim() >= 1, "[matmul] operands must have at least 1 dim, got ",
              a.shape(), " and ", b.shape());
  if (a.dim() == 1 && b.dim() == 1) return reshape(matmul_nd(unsqueeze(a, 0), unsqueeze(b, 1)), {});
  if (a.dim() == 1) return squeeze(matmul_nd(unsqueeze(a, 0), b), {-2});
  if (b.dim() == 1) return squeeze(matmul_nd(a, unsqueeze(b, 1)), {-1});
  return matmul_nd(a, b);
}

LATHE_REGISTER_OPS(matmul) {
  registry.add(binary_def("matmul", "matrix product with batch broadcasting (torch.matmul)", matmul));
}

}  // namespace lathe
