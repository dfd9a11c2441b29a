// cholesky: A = L L^T, L lower triangular with a positive diagonal, for a symmetric
// positive-definite A [.., n, n]. The op factors sym(A) = (A + A^T) / 2, so every entry of A is
// an input (finite differences see what the gradient says); for a symmetric A that is what
// torch.linalg.cholesky gives (it reads the lower triangle).
//
// Backward (Murray 2016, "Differentiation of the Cholesky decomposition", arXiv:1602.07527,
// in the form torch uses): P = tril(L^T gL), Phi = (P + tril(P, -1)^T) / 2 (symmetric),
// gA = L^-T Phi L^-1, two triangular solves. gA is symmetric, so the sym() in front passes it
// through unchanged and the gradient equals torch's.
//
// solve_triangular: X = A^-1 B for a lower (or upper) triangular A [.., n, n], B [.., n, k];
// the other triangle is not read. Backward (Giles 2008, "An extended collection of matrix
// derivative results"): gB = A^-T gX (a solve with the transposed triangle),
// gA = -tril(gB X^T) (triu when upper): only the triangle that is read gets a gradient.
#include "ops/linalg/common.h"

namespace lathe {

using namespace linalg;

Tensor cholesky(const Tensor& a) {
  check_matrix("cholesky", a, true);
  FusedKernel k{"cholesky", {sym(a)}, {{a.shape(), a.dtype()}}, {}, -1, false};
  return run_kernel(k, [](const std::vector<Tensor>& g, const std::vector<Tensor>&,
                          const std::vector<Tensor>& out) -> std::vector<Tensor> {
           const Tensor& l = out[0];                // [.., n, n]
           Tensor p = tril(matmul(mT(l), g[0]));    // [.., n, n]
           Tensor phi = (p + mT(tril(p, -1))) * 0.5;
           Tensor left = solve_triangular(mT(l), phi, true);              // L^-T Phi
           return {mT(solve_triangular(mT(l), mT(left), true))};         // (L^-T Phi) L^-1
         })[0];
}

Tensor solve_triangular(const Tensor& a, const Tensor& b, bool upper) {
  check_matrix("solve_triangular", a, true);
  check_floating("solve_triangular", "b", b);
  LATHE_CHECK(b.dtype() == a.dtype(), "[solve_triangular] a and b must have one dtype, got ",
              a.dtype(), " and ", b.dtype());
  int64_t n = a.shape()[a.dim() - 1];
  LATHE_CHECK(b.dim() >= 2 && b.shape()[b.dim() - 2] == n, "[solve_triangular] b must be [.., ",
              n, ", k] for a of shape ", a.shape(), ", got ", b.shape());
  Shape batch = broadcast_shapes(batch_shape(a), batch_shape(b), "solve_triangular");
  Shape sa = matrix_shape(batch, n, n), sb = matrix_shape(batch, n, b.shape().back());
  FusedKernel k{"solve_triangular", {expand(a, sa), expand(b, sb)}, {{sb, a.dtype()}},
                {upper ? 1.0 : 0.0}};
  return run_kernel(k, [upper](const std::vector<Tensor>& g, const std::vector<Tensor>& in,
                               const std::vector<Tensor>& out) -> std::vector<Tensor> {
           Tensor gb = solve_triangular(mT(in[0]), g[0], !upper);  // [.., n, k]
           Tensor ga = -matmul(gb, mT(out[0]));                      // [.., n, n]
           return {upper ? triu(ga) : tril(ga), gb};
         })[0];
}

LATHE_REGISTER_OPS(linalg_cholesky) {
  registry.add(OpDef("cholesky", "linalg")
                   .summary("Cholesky factor L of a symmetric positive-definite matrix, A = L L^T")
                   .paper("Murray 2016, Differentiation of the Cholesky decomposition")
                   .input("a")
                   .output("l")
                   .run(&cholesky));
  registry.add(OpDef("solve_triangular", "linalg")
                   .summary("X = A^-1 B for a triangular A (the other triangle is not read)")
                   .input("a")
                   .input("b")
                   .attr("upper", false, "A is upper (else lower) triangular")
                   .output("x")
                   .run([](const OpCall& c) {
                     return Outputs{solve_triangular(c.in("a"), c.in("b"), c.b("upper"))};
                   }));
}

}  // namespace lathe
