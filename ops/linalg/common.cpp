#include "ops/linalg/common.h"

#include <vector>

namespace lathe::linalg {

void check_matrix(const char* op, const Tensor& a, bool square) {
  check_floating(op, "a", a);
  LATHE_CHECK(a.dtype() == DType::f32 || a.dtype() == DType::f64, "[", op,
              "] a must be f32 or f64, got ", a.dtype());
  LATHE_CHECK(a.dim() >= 2, "[", op, "] a must be a matrix or a batch of matrices [.., m, n], got ",
              a.shape());
  LATHE_CHECK(!square || a.shape()[a.dim() - 1] == a.shape()[a.dim() - 2], "[", op,
              "] a must be square [.., n, n], got ", a.shape());
}

Shape batch_shape(const Tensor& a) {
  return Shape(std::vector<int64_t>(a.shape().begin(), a.shape().end() - 2));
}

Shape matrix_shape(Shape batch, int64_t rows, int64_t cols) {
  batch.push_back(rows);
  batch.push_back(cols);
  return batch;
}

Tensor mT(const Tensor& x) { return transpose(x, -1, -2); }

Tensor sym(const Tensor& x) { return (x + mT(x)) * 0.5; }

Tensor eye(int64_t n, const Tensor& like) {
  std::vector<double> m(static_cast<size_t>(n * n), 0.0);
  for (int64_t i = 0; i < n; ++i) m[i * n + i] = 1.0;
  return from_vector(m, {n, n}, like.dtype(), like.device());
}

Tensor diag_embed(const Tensor& v) { return unsqueeze(v, -1) * eye(v.shape()[v.dim() - 1], v); }

Tensor div_nonzero(const Tensor& num, const Tensor& den) {
  // Dividing by 1 where both are 0 (not selecting 0 after num / den) keeps inf and NaN out of
  // the second-order gradient too.
  return num / where(logical_and(eq(den, 0.0), eq(num, 0.0)), 1.0, den);
}

std::vector<Tensor> run_kernel(const FusedKernel& kernel, const FusedBackwardFn& backward) {
  FusedKernel k = kernel;
  CompositeFn on_host = [k, backward](const std::vector<Tensor>& inputs) {
    Device device = inputs[0].device();
    LATHE_CHECK(device != Device::reference(), "[", k.op,
                "] reference: no kernel for these inputs");
    FusedKernel host = k;
    host.inputs.clear();
    for (const Tensor& t : inputs) host.inputs.push_back(to_device(t, Device::reference()));
    std::vector<Tensor> out = run_kernel(host, backward);
    for (Tensor& t : out) t = to_device(t, device);
    return out;
  };
  return fused_or_composite(k, true, on_host, backward);
}

}  // namespace lathe::linalg
