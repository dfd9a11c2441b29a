// diagonal: the elements x[..., i, i + offset] of dims (dim1, dim2), those dims removed and the
// diagonal appended as the last axis (torch.diagonal, but a copy, not a view). diag: torch.diag,
// a 1-D x of n becomes the [n + |k|, n + |k|] matrix with x on diagonal k; a 2-D x gives its
// diagonal k. Composites: an index_select on the flattened pair of dims, and a scatter_add
// into zeros; the gradients are the other one.
#include <algorithm>

#include "ops/composite.h"

namespace lathe {

namespace {

// Flat indices r * cols + c of diagonal `offset` in a [rows, cols] matrix.
Tensor diagonal_index(int64_t rows, int64_t cols, int64_t offset, Device device) {
  int64_t r0 = offset >= 0 ? 0 : -offset, c0 = offset >= 0 ? offset : 0;
  int64_t n = std::max<int64_t>(0, std::min(rows - r0, cols - c0));
  std::vector<int64_t> index(static_cast<size_t>(n));
  for (int64_t t = 0; t < n; ++t) index[static_cast<size_t>(t)] = (r0 + t) * cols + c0 + t;
  return from_vector(index, {n}, device);
}

}  // namespace

Tensor diagonal(const Tensor& x, int64_t offset, int64_t dim1, int64_t dim2) {
  LATHE_CHECK(x.dim() >= 2, "[diagonal] x must have at least 2 dims, got shape ", x.shape());
  int d1 = normalize_axis(dim1, x.dim(), "diagonal");
  int d2 = normalize_axis(dim2, x.dim(), "diagonal");
  LATHE_CHECK(d1 != d2, "[diagonal] dim1 and dim2 must differ, got ", dim1, " and ", dim2);
  Axes order;
  Shape batch;
  for (int a = 0; a < x.dim(); ++a) {
    if (a == d1 || a == d2) continue;
    order.push_back(a);
    batch.push_back(x.shape()[a]);
  }
  order.push_back(d1);
  order.push_back(d2);
  int64_t rows = x.shape()[d1], cols = x.shape()[d2];
  Shape flat = batch;
  flat.push_back(rows * cols);
  Tensor m = reshape(permute(x, order), flat);  // [..., rows * cols]
  return index_select(m, diagonal_index(rows, cols, offset, x.device()), -1);
}

Tensor diag(const Tensor& x, int64_t k) {
  LATHE_CHECK(x.dim() == 1 || x.dim() == 2, "[diag] x must be 1-D or 2-D, got shape ", x.shape());
  if (x.dim() == 2) return diagonal(x, k, 0, 1);
  int64_t n = x.shape()[0];
  int64_t m = n + (k >= 0 ? k : -k);
  Tensor index = diagonal_index(m, m, k, x.device());  // n entries
  return reshape(scatter_add(zeros({m * m}, x.dtype(), x.device()), index, x, 0), {m, m});
}

LATHE_REGISTER_OPS(diagonal) {
  registry.add(OpDef("diagonal", "nn")
                   .summary("diagonal of dims (dim1, dim2), appended as the last axis")
                   .input("x", Kind::any)
                   .attr("offset", 0, "0: main diagonal, > 0 above, < 0 below")
                   .attr("dim1", 0, "row axis")
                   .attr("dim2", 1, "column axis")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) {
                     return Outputs{diagonal(c.in("x"), c.i("offset"), c.i("dim1"), c.i("dim2"))};
                   }));
  registry.add(OpDef("diag", "nn")
                   .summary("1-D: the matrix with x on a diagonal; 2-D: that diagonal")
                   .input("x", Kind::any)
                   .attr("diagonal", 0, "0: main diagonal, > 0 above, < 0 below")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) { return Outputs{diag(c.in("x"), c.i("diagonal"))}; }));
}

}  // namespace lathe
