// solve: X = A^-1 B by LU with partial pivoting, for A [.., n, n] and B [.., n, k] or [.., n]
// (a vector per matrix: B.ndim == 1, or B.shape == A.shape[:-1], torch.linalg.solve's rule);
// batch axes broadcast. Backward (Giles 2008, "An extended collection of matrix derivative
// results"): gB = A^-T gX, gA = -gB X^T.
// inv(A) = solve(A, I); det(A) = sign exp(log|det A|), both composites.
// slogdet: (sign, log|det A|) from the LU factors. Backward: g_logabsdet A^-T (the sign is
// piecewise constant: no gradient).
//
// A singular A (an exactly zero pivot, LAPACK's criterion, as torch) is an error for solve and
// inv, like torch.linalg.solve / inv (not their _ex forms that return info); slogdet gives
// sign 0 and -inf, det 0. The gradient of det or slogdet at a singular matrix needs A^-1 and
// throws the same error (torch returns one through an SVD there).
#include "ops/linalg/common.h"

namespace lathe {

using namespace linalg;

Tensor solve(const Tensor& a, const Tensor& b) {
  check_matrix("solve", a, true);
  check_floating("solve", "b", b);
  LATHE_CHECK(b.dtype() == a.dtype(), "[solve] a and b must have one dtype, got ", a.dtype(),
              " and ", b.dtype());
  int64_t n = a.shape()[a.dim() - 1];
  Shape a_rows(std::vector<int64_t>(a.shape().begin(), a.shape().end() - 1));  // [.., n]
  bool vector = b.dim() == 1 || (b.dim() == a.dim() - 1 && b.shape() == a_rows);
  Tensor bm = vector ? unsqueeze(b, -1) : b;  // [.., n, k]
  LATHE_CHECK(bm.dim() >= 2 && bm.shape()[bm.dim() - 2] == n, "[solve] b must be [.., ", n,
              ", k] or [.., ", n, "] for a of shape ", a.shape(), ", got ", b.shape());
  Shape batch = broadcast_shapes(batch_shape(a), batch_shape(bm), "solve");
  Shape sb = matrix_shape(batch, n, bm.shape().back());
  FusedKernel k{"solve", {expand(a, matrix_shape(batch, n, n)), expand(bm, sb)},
                {{sb, a.dtype()}}, {}};
  Tensor x = run_kernel(k, [](const std::vector<Tensor>& g, const std::vector<Tensor>& in,
                              const std::vector<Tensor>& out) -> std::vector<Tensor> {
               Tensor gb = solve(mT(in[0]), g[0]);  // [.., n, k]
               return {-matmul(gb, mT(out[0])), gb};
             })[0];
  return vector ? squeeze(x, {-1}) : x;
}

Tensor inv(const Tensor& a) {
  check_matrix("inv", a, true);
  return solve(a, expand(eye(a.shape()[a.dim() - 1], a), a.shape()));
}

std::pair<Tensor, Tensor> slogdet(const Tensor& a) {
  check_matrix("slogdet", a, true);
  Shape batch = batch_shape(a);
  FusedKernel k{"slogdet", {a}, {{batch, a.dtype()}, {batch, a.dtype()}}, {}};
  std::vector<Tensor> out =
      run_kernel(k, [](const std::vector<Tensor>& g, const std::vector<Tensor>& in,
                       const std::vector<Tensor>&) -> std::vector<Tensor> {
        Tensor inv_t = solve(mT(in[0]), expand(eye(in[0].shape().back(), in[0]), in[0].shape()));
        return {unsqueeze(unsqueeze(g[1], -1), -1) * inv_t};  // [.., n, n]
      });
  return {out[0], out[1]};
}

Tensor det(const Tensor& a) {
  check_matrix("det", a, true);
  auto [sign, logabsdet] = slogdet(a);
  return sign * exp(logabsdet);
}

LATHE_REGISTER_OPS(linalg_solve) {
  registry.add(OpDef("solve", "linalg")
                   .summary("X = A^-1 B by LU with partial pivoting; B a matrix or a vector")
                   .paper("Giles 2008, An extended collection of matrix derivative results")
                   .input("a")
                   .input("b")
                   .output("x")
                   .run(&solve));
  registry.add(OpDef("inv", "linalg")
                   .summary("inverse matrix, solve(A, I)")
                   .input("a")
                   .output("y")
                   .run(&inv));
  registry.add(OpDef("det", "linalg")
                   .summary("determinant, sign * exp(logabsdet)")
                   .input("a")
                   .output("y")
                   .run(&det));
  registry.add(OpDef("slogdet", "linalg")
                   .summary("sign and log of the absolute value of the determinant")
                   .input("a")
                   .output("sign")
                   .output("logabsdet")
                   .run([](const OpCall& c) {
                     auto [sign, logabsdet] = slogdet(c.in("a"));
                     return Outputs{sign, logabsdet};
                   }));
}

}  // namespace lathe
