// cdist: d[..., i, j] = |a_i - b_j|_p between the rows of a [..., P, M] and b [..., R, M]
// (batch dims broadcast): [..., P, R]. pdist: the pairs i < j of cdist(x, x) for x [N, M],
// row-major: [N (N - 1) / 2] (torch.pdist).
// p = 2 in cdist is a GEMM, d^2 = |a_i|^2 + |b_j|^2 - 2 a_i . b_j, clamped at 0 (rounding can
// make it negative), as PyTorch's mm path (_euclidean_dist). Other p, and pdist, take the norm
// of the differences ([..., P, R, M]: small inputs only). A zero distance passes no gradient,
// PyTorch's convention (its _cdist_backward and _euclidean_dist_backward mask res == 0).
// NOTE: PyTorch 1.13 uses the GEMM only when P > 25 or R > 25 and exact differences otherwise;
// the two agree to rounding except for distances near 0, where the GEMM loses digits.
#include <cmath>

#include "ops/composite.h"

namespace lathe {

namespace {

void check_rows(const char* op, const char* name, const Tensor& t) {
  check_floating(op, name, t);
  LATHE_CHECK(t.dim() >= 2, "[", op, "] ", name, " must be [..., rows, features], got shape ",
              t.shape());
}

}  // namespace

Tensor cdist(const Tensor& a, const Tensor& b, double p) {
  check_rows("cdist", "a", a);
  check_rows("cdist", "b", b);
  LATHE_CHECK(a.shape()[a.dim() - 1] == b.shape()[b.dim() - 1], "[cdist] a and b must have the",
              " same number of features, got shapes ", a.shape(), " and ", b.shape());
  LATHE_CHECK(!std::isnan(p) && p >= 0, "[cdist] p must be >= 0, got ", p);
  if (p == 2.0) {
    Tensor a2 = sum(a * a, {-1}, true);                         // [..., P, 1]
    Tensor b2 = unsqueeze(sum(b * b, {-1}), -2);                // [..., 1, R]
    Tensor ab = matmul(a, transpose(b, -1, -2));                // [..., P, R]
    Tensor d2 = clamp(a2 + b2 - 2.0 * ab, 0.0);                 // [..., P, R]
    Tensor positive = gt(d2, 0.0);
    return where(positive, sqrt(where(positive, d2, scalar_like(1.0, d2))),
                 scalar_like(0.0, d2));
  }
  Tensor diff = unsqueeze(a, -2) - unsqueeze(b, -3);            // [..., P, R, M]
  return norm(diff, p, {-1});
}

Tensor pdist(const Tensor& x, double p) {
  check_floating("pdist", x);
  LATHE_CHECK(x.dim() == 2, "[pdist] x must be [N, M], got shape ", x.shape());
  LATHE_CHECK(!std::isnan(p) && p >= 0, "[pdist] p must be >= 0, got ", p);
  int64_t n = x.shape()[0];
  std::vector<int64_t> first, second;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i + 1; j < n; ++j) {
      first.push_back(i);
      second.push_back(j);
    }
  int64_t pairs = static_cast<int64_t>(first.size());
  Tensor xi = index_select(x, from_vector(first, {pairs}, x.device()), 0);   // [pairs, M]
  Tensor xj = index_select(x, from_vector(second, {pairs}, x.device()), 0);  // [pairs, M]
  return norm(xi - xj, p, {1});
}

LATHE_REGISTER_OPS(cdist) {
  registry.add(OpDef("cdist", "nn")
                   .summary("p-norm distances between the rows of a and of b")
                   .input("a")
                   .input("b")
                   .attr("p", 2.0, "order of the norm (2: through a GEMM)")
                   .output("d")
                   .run([](const OpCall& c) {
                     return Outputs{cdist(c.in("a"), c.in("b"), c.f("p"))};
                   }));
  registry.add(OpDef("pdist", "nn")
                   .summary("p-norm distances between the rows of x, pairs i < j")
                   .input("x")
                   .attr("p", 2.0, "order of the norm")
                   .output("d")
                   .run([](const OpCall& c) { return Outputs{pdist(c.in("x"), c.f("p"))}; }));
}

}  // namespace lathe
