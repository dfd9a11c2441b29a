// kthvalue: {values, indices} of the k-th smallest element (k from 1) along dim; median: the
// lower median, k = (n - 1) / 2 + 1 (torch.median with a dim: the smaller of the two middle
// elements for even n); quantile: torch.quantile's linear interpolation between the sorted
// elements floor(q (n - 1)) and ceil(q (n - 1)), weights from the fraction. Composites of the
// stable sort, whose gradient scatters back to the chosen elements. Among tied values the index
// is the first in sort order (PyTorch leaves it unspecified).
#include <cmath>

#include "ops/composite.h"

namespace lathe {

std::pair<Tensor, Tensor> kthvalue(const Tensor& x, int64_t k, int64_t dim, bool keepdim) {
  int ax = normalize_axis(dim, x.dim(), "kthvalue");
  int64_t n = x.dim() ? x.shape()[ax] : 1;
  LATHE_CHECK(k >= 1 && k <= n, "[kthvalue] k = ", k, " out of range [1, ", n, "] for dim ", dim,
              " of shape ", x.shape());
  auto [values, indices] = sort(x, ax);
  if (x.dim() == 0) return {values, indices};
  Tensor v = narrow(values, ax, k - 1, 1), i = narrow(indices, ax, k - 1, 1);
  if (keepdim) return {v, i};
  return {squeeze(v, {ax}), squeeze(i, {ax})};
}

std::pair<Tensor, Tensor> median(const Tensor& x, int64_t dim, bool keepdim) {
  int ax = normalize_axis(dim, x.dim(), "median");
  int64_t n = x.dim() ? x.shape()[ax] : 1;
  LATHE_CHECK(n > 0, "[median] dim ", dim, " of shape ", x.shape(), " is empty");
  return kthvalue(x, (n - 1) / 2 + 1, ax, keepdim);
}

Tensor quantile(const Tensor& x, double q, int64_t dim, bool keepdim) {
  check_floating("quantile", x);
  LATHE_CHECK(q >= 0.0 && q <= 1.0, "[quantile] q must be in [0, 1], got ", q);
  int ax = normalize_axis(dim, x.dim(), "quantile");
  int64_t n = x.dim() ? x.shape()[ax] : 1;
  LATHE_CHECK(n > 0, "[quantile] dim ", dim, " of shape ", x.shape(), " is empty");
  Tensor sorted = sort(x, ax).first;
  if (x.dim() == 0) return sorted;
  double rank = q * static_cast<double>(n - 1);
  int64_t below = static_cast<int64_t>(std::floor(rank));
  int64_t above = static_cast<int64_t>(std::ceil(rank));
  double w = rank - static_cast<double>(below);
  Tensor lo = narrow(sorted, ax, below, 1), hi = narrow(sorted, ax, above, 1);
  Tensor y = lo + (hi - lo) * w;  // torch.lerp
  return keepdim ? y : squeeze(y, {ax});
}

LATHE_REGISTER_OPS(kthvalue) {
  registry.add(OpDef("kthvalue", "nn")
                   .summary("k-th smallest element along dim, with its index")
                   .input("x")
                   .attr("k", 1, "rank, from 1")
                   .attr("dim", -1, "axis searched")
                   .attr("keepdim", false, "keep dim with extent 1")
                   .output("values")
                   .output("indices", Kind::integer)
                   .run([](const OpCall& c) {
                     auto [v, i] = kthvalue(c.in("x"), c.i("k"), c.i("dim"), c.b("keepdim"));
                     return Outputs{v, i};
                   }));
  registry.add(OpDef("median", "nn")
                   .summary("lower median along dim, with its index")
                   .input("x")
                   .attr("dim", -1, "axis searched")
                   .attr("keepdim", false, "keep dim with extent 1")
                   .output("values")
                   .output("indices", Kind::integer)
                   .run([](const OpCall& c) {
                     auto [v, i] = median(c.in("x"), c.i("dim"), c.b("keepdim"));
                     return Outputs{v, i};
                   }));
  registry.add(OpDef("quantile", "nn")
                   .summary("q-quantile along dim, linear interpolation (torch.quantile)")
                   .input("x")
                   .attr("q", 0.5, "quantile in [0, 1]")
                   .attr("dim", -1, "axis reduced")
                   .attr("keepdim", false, "keep dim with extent 1")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{quantile(c.in("x"), c.f("q"), c.i("dim"), c.b("keepdim"))};
                   }));
}

}  // namespace lathe
