// eigh: sym(A) = V diag(w) V^T for A [.., n, n], w ascending, V orthogonal, each eigenvector's
// largest entry positive (backends/linalg.h: so that implementations agree). The op reads
// sym(A) = (A + A^T) / 2, so finite differences see every entry; torch.linalg.eigh reads the
// lower triangle (the same for a symmetric A; the gradients are the same symmetric matrix).
// Backward (Giles 2008; torch's linalg_eig_backward, Hermitian case):
//   gA = V (diag(gw) + skew(V^T gV) / E) V^T,  skew(X) = (X - X^T) / 2,  E_ij = w_j - w_i.
// Repeated eigenvalues: E_ij = 0 off the diagonal. With a gradient reaching V there, gA is
// inf or NaN, as torch's (the eigenvectors are not a function of A there); a term whose
// numerator is exactly 0 (only w used, or gV orthogonal to the degenerate pair) stays 0, as
// torch's gives when gV is absent.
// eigvalsh: w alone; gA = V diag(gw) V^T, finite at repeated eigenvalues.
// sqrtm_psd: S = V diag(sqrt(max(w, 0))) V^T, the symmetric PSD square root (S S = sym(A)), for
// the Frechet distance. Backward: dA = S dS + dS S (a Sylvester equation), solved in the
// eigenbasis: gA = V ((V^T gS V) / (s_i + s_j)) V^T with s = sqrt(w), which stays finite at
// repeated eigenvalues (unlike differentiating through eigh) and is inf where two eigenvalues
// are 0. The rule recomputes eigh(A) with public ops, so second order works where eigh's does.
// A clearly negative eigenvalue (below -100 n eps max|w|) is an error; smaller ones are taken
// as rounding and clamped to 0.
#include "ops/linalg/common.h"

namespace lathe {

using namespace linalg;

std::pair<Tensor, Tensor> eigh(const Tensor& a) {
  check_matrix("eigh", a, true);
  int64_t n = a.shape().back();
  Shape wshape = batch_shape(a);
  wshape.push_back(n);
  FusedKernel k{"eigh", {sym(a)}, {{wshape, a.dtype()}, {a.shape(), a.dtype()}}, {}, -1, false};
  std::vector<Tensor> out =
      run_kernel(k, [](const std::vector<Tensor>& g, const std::vector<Tensor>&,
                       const std::vector<Tensor>& out) -> std::vector<Tensor> {
        const Tensor& w = out[0];                              // [.., n]
        const Tensor& v = out[1];                              // [.., n, n]
        Tensor vtgv = matmul(mT(v), g[1]);                     // [.., n, n]
        Tensor skew = (vtgv - mT(vtgv)) * 0.5;
        Tensor e = unsqueeze(w, -2) - unsqueeze(w, -1);        // e_ij = w_j - w_i
        Tensor inner = div_nonzero(skew, e) + diag_embed(g[0]);
        return {matmul(v, matmul(inner, mT(v)))};
      });
  return {out[0], out[1]};
}

Tensor eigvalsh(const Tensor& a) {
  check_matrix("eigvalsh", a, true);
  Shape wshape = batch_shape(a);
  wshape.push_back(a.shape().back());
  FusedKernel k{"eigh", {sym(a)}, {{wshape, a.dtype()}, {a.shape(), a.dtype()}}, {}, 1};
  return run_kernel(k, [](const std::vector<Tensor>& g, const std::vector<Tensor>& in,
                          const std::vector<Tensor>& out) -> std::vector<Tensor> {
           // V is no result of this node: for a differentiable gradient, recompute it with eigh.
           Tensor v = is_grad_enabled() ? eigh(in[0]).second : out[1];  // [.., n, n]
           return {matmul(v * unsqueeze(g[0], -2), mT(v))};
         })[0];
}

Tensor sqrtm_psd(const Tensor& a) {
  check_matrix("sqrtm_psd", a, true);
  FusedKernel k{"sqrtm_psd", {sym(a)}, {{a.shape(), a.dtype()}}, {}};
  return run_kernel(k, [](const std::vector<Tensor>& g, const std::vector<Tensor>& in,
                          const std::vector<Tensor>&) -> std::vector<Tensor> {
           auto [w, v] = eigh(in[0]);                                   // [.., n], [.., n, n]
           Tensor s = sqrt(clamp(w, 0.0));                              // [.., n]
           Tensor inner = matmul(mT(v), matmul(g[0], v));               // [.., n, n]
           inner = inner / (unsqueeze(s, -1) + unsqueeze(s, -2));
           return {matmul(v, matmul(inner, mT(v)))};
         })[0];
}

LATHE_REGISTER_OPS(linalg_eigh) {
  registry.add(OpDef("eigh", "linalg")
                   .summary("eigenvalues (ascending) and eigenvectors of a symmetric matrix")
                   .paper("Giles 2008, An extended collection of matrix derivative results")
                   .input("a")
                   .output("eigenvalues")
                   .output("eigenvectors")
                   .run([](const OpCall& c) {
                     auto [w, v] = eigh(c.in("a"));
                     return Outputs{w, v};
                   }));
  registry.add(OpDef("eigvalsh", "linalg")
                   .summary("eigenvalues (ascending) of a symmetric matrix")
                   .input("a")
                   .output("eigenvalues")
                   .run(&eigvalsh));
  registry.add(OpDef("sqrtm_psd", "linalg")
                   .summary("symmetric square root of a symmetric positive semi-definite matrix")
                   .input("a")
                   .output("s")
                   .run(&sqrtm_psd));
}

}  // namespace lathe
