// svd: A = U diag(S) Vh, reduced (U [.., m, k], S [.., k] descending, Vh [.., k, n],
// k = min(m, n)); each column of U has its largest entry positive, Vh's row flipped with it
// (backends/linalg.h: so that implementations agree).
// Backward (torch's svd_backward, after Townsend 2016, "Differentiating the singular value
// decomposition"; real case), skew(X) = X - X^T, E_jk = S_k^2 - S_j^2:
//   inner = (skew(U^T gU) S + S skew(V^T gV)) / E + diag(gS)
//   m = n: gA = U inner Vh
//   m > n: gA = (U inner + (I - U U^T) gU S^-1) Vh
//   m < n: gA = U (inner Vh + S^-1 gVh (I - V Vh))
// Repeated (or zero, for the S^-1 terms) singular values with a gradient reaching U or Vh give
// inf or NaN, as torch's; terms whose numerator is exactly 0 stay 0 (div_nonzero), as torch's
// do when gU / gVh are absent.
// svdvals: S alone; gA = U diag(gS) Vh, finite at repeated singular values.
// matrix_norm: "fro" sqrt(sum a^2), "nuc" sum(S), "2" max(S) (tied maxima share the gradient,
// torch.amax's rule; torch's own "2" norm differentiates through one singular vector pair).
// pinv: V diag(1/S) U^T with S <= max(m, n) eps(dtype) S_max taken as 0 (torch.linalg.pinv's
// default rtol); the gradient goes through the SVD, so it needs distinct singular values
// (torch has a closed form that does not).
#include <algorithm>

#include "ops/linalg/common.h"

namespace lathe {

using namespace linalg;

namespace {

FusedKernel svd_kernel(const Tensor& a, int returned, bool save_input) {
  int64_t m = a.shape()[a.dim() - 2], n = a.shape().back(), k = std::min(m, n);
  Shape s = batch_shape(a);
  s.push_back(k);
  return FusedKernel{"svd",
                     {a},
                     {{s, a.dtype()},
                      {matrix_shape(batch_shape(a), m, k), a.dtype()},
                      {matrix_shape(batch_shape(a), k, n), a.dtype()}},
                     {},
                     returned,
                     save_input};
}

}  // namespace

std::tuple<Tensor, Tensor, Tensor> svd(const Tensor& a) {
  check_matrix("svd", a, false);
  int64_t m = a.shape()[a.dim() - 2], n = a.shape().back();
  std::vector<Tensor> out = run_kernel(
      svd_kernel(a, -1, false), [m, n](const std::vector<Tensor>& g, const std::vector<Tensor>&,
                                const std::vector<Tensor>& out) -> std::vector<Tensor> {
        const Tensor &s = out[0], &u = out[1], &vh = out[2];  // [.., k], [.., m, k], [.., k, n]
        const Tensor &gs = g[0], &gu = g[1], &gvh = g[2];
        Tensor v = mT(vh), gv = mT(gvh);
        Tensor utgu = matmul(mT(u), gu), vtgv = matmul(mT(v), gv);  // [.., k, k]
        Tensor s2 = s * s;
        Tensor e = unsqueeze(s2, -2) - unsqueeze(s2, -1);          // e_jk = s_k^2 - s_j^2
        Tensor num = (utgu - mT(utgu)) * unsqueeze(s, -2) + unsqueeze(s, -1) * (vtgv - mT(vtgv));
        Tensor inner = div_nonzero(num, e) + diag_embed(gs);      // [.., k, k]
        if (m > n) {
          Tensor gu_sinv = div_nonzero(gu, unsqueeze(s, -2));    // [.., m, k]
          Tensor left = matmul(u, inner) + gu_sinv - matmul(u, matmul(mT(u), gu_sinv));
          return {matmul(left, vh)};
        }
        if (m < n) {
          Tensor sinv_gvh = div_nonzero(gvh, unsqueeze(s, -1));  // [.., k, n]
          Tensor right = matmul(inner, vh) + sinv_gvh - matmul(matmul(sinv_gvh, v), vh);
          return {matmul(u, right)};
        }
        return {matmul(u, matmul(inner, vh))};
      });
  return {out[1], out[0], out[2]};
}

Tensor svdvals(const Tensor& a) {
  check_matrix("svdvals", a, false);
  auto rule = [](const std::vector<Tensor>& g, const std::vector<Tensor>& in,
                 const std::vector<Tensor>& out) -> std::vector<Tensor> {
    // U and Vh are no results of this node: for a differentiable gradient, recompute them.
    if (is_grad_enabled()) {
      auto [u, s, vh] = svd(in[0]);
      return {matmul(u * unsqueeze(g[0], -2), vh)};  // U diag(gS) Vh
    }
    return {matmul(out[1] * unsqueeze(g[0], -2), out[2])};
  };
  return run_kernel(svd_kernel(a, 1, true), rule)[0];
}

Tensor matrix_norm(const Tensor& a, const std::string& ord) {
  check_matrix("matrix_norm", a, false);
  if (ord == "fro") return sqrt(sum(a * a, {-2, -1}));
  if (ord == "nuc") return sum(svdvals(a), {-1});
  if (ord == "2") return max(svdvals(a), {-1});
  LATHE_FAIL("[matrix_norm] ord must be fro, nuc or 2, got '", ord, "'");
}

Tensor pinv(const Tensor& a) {
  check_matrix("pinv", a, false);
  int64_t m = a.shape()[a.dim() - 2], n = a.shape().back();
  double eps = a.dtype() == DType::f32 ? 1.1920928955078125e-07 : 2.220446049250313e-16;
  auto [u, s, vh] = svd(a);
  Tensor cutoff = max(s, {-1}, true) * (eps * static_cast<double>(std::max(m, n)));  // [.., 1]
  Tensor keep = gt(s, cutoff);
  Tensor s_inv = where(keep, 1.0 / where(keep, s, 1.0), 0.0);  // no 1/0 even off the branch
  return matmul(mT(vh) * unsqueeze(s_inv, -2), mT(u));
}

LATHE_REGISTER_OPS(linalg_svd) {
  registry.add(OpDef("svd", "linalg")
                   .summary("reduced singular value decomposition A = U diag(S) Vh")
                   .paper("Townsend 2016, Differentiating the singular value decomposition")
                   .input("a")
                   .output("u")
                   .output("s")
                   .output("vh")
                   .run([](const OpCall& c) {
                     auto [u, s, vh] = svd(c.in("a"));
                     return Outputs{u, s, vh};
                   }));
  registry.add(OpDef("svdvals", "linalg")
                   .summary("singular values, descending")
                   .input("a")
                   .output("s")
                   .run(&svdvals));
  registry.add(OpDef("matrix_norm", "linalg")
                   .summary("Frobenius, nuclear or spectral norm of each matrix")
                   .input("a")
                   .attr("ord", "fro", "fro, nuc (sum of singular values) or 2 (the largest)")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{matrix_norm(c.in("a"), c.s("ord"))};
                   }));
  registry.add(OpDef("pinv", "linalg")
                   .summary("Moore-Penrose pseudo-inverse through the SVD")
                   .input("a")
                   .output("y")
                   .run(&pinv));
}

}  // namespace lathe
