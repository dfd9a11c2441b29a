// qr: A = Q R, reduced (Q [.., m, k] with orthonormal columns, R [.., k, n] upper triangular,
// k = min(m, n)), diag(R) >= 0 (backends/linalg.h: LAPACK's Householder signs are normalized,
// which makes the factorization unique for a full-rank A).
// Backward for m >= n (torch's linalg_qr_backward; Walter & Lehmann 2018, "Algorithmic
// differentiation of linear algebra functions with application in optimum experimental
// design"): M = gR R^T - Q^T gQ, T = triu(M), B = T + triu(T, 1)^T (the symmetric matrix with
// T's upper triangle), gA = (Q B + gQ) R^-T. For m < n the gradient is not implemented (an
// error naming the shapes).
#include "ops/linalg/common.h"

#include <algorithm>

namespace lathe {

using namespace linalg;

std::pair<Tensor, Tensor> qr(const Tensor& a) {
  check_matrix("qr", a, false);
  int64_t m = a.shape()[a.dim() - 2], n = a.shape().back(), k = std::min(m, n);
  Shape shape = a.shape();
  FusedKernel kernel{"qr",
                     {a},
                     {{matrix_shape(batch_shape(a), m, k), a.dtype()},
                      {matrix_shape(batch_shape(a), k, n), a.dtype()}},
                     {},
                     -1,
                     false};
  std::vector<Tensor> out =
      run_kernel(kernel, [shape](const std::vector<Tensor>& g, const std::vector<Tensor>&,
                                 const std::vector<Tensor>& out) -> std::vector<Tensor> {
        LATHE_CHECK(shape[shape.size() - 2] >= shape.back(), "[qr] the gradient needs m >= n, "
                    "got a of shape ", shape);
        const Tensor &q = out[0], &r = out[1];                 // [.., m, n], [.., n, n]
        Tensor t = triu(matmul(g[1], mT(r)) - matmul(mT(q), g[0]));
        Tensor b = t + mT(triu(t, 1));
        Tensor y = matmul(q, b) + g[0];                        // [.., m, n]
        return {mT(solve_triangular(r, mT(y), true))};         // y R^-T
      });
  return {out[0], out[1]};
}

LATHE_REGISTER_OPS(linalg_qr) {
  registry.add(OpDef("qr", "linalg")
                   .summary("reduced QR decomposition with a non-negative diagonal of R")
                   .input("a")
                   .output("q")
                   .output("r")
                   .run([](const OpCall& c) {
                     auto [q, r] = qr(c.in("a"));
                     return Outputs{q, r};
                   }));
}

}  // namespace lathe
