// rbf_basis: FastKAN's Gaussian radial basis functions, a stand-in for cubic B-splines.
//   b_i(x) = exp(-((x - u_i) / h)^2)
// x [..., in], grid u [n] (shared, FastKAN) or [in, n] -> [..., in, n]; h = denominator.
// Paper: "Kolmogorov-Arnold Networks are Radial Basis Function Networks" (Li, 2024). Defaults
// (FastKAN): 8 centres on [-2, 2], h = (2 - (-2)) / (8 - 1). Far outside the grid the bases
// decay to 0 (never NaN). The grid is a buffer (requires_grad=False in the reference).
//
// Checked against ZiyaoLi/fast-kan fastkan/fastkan.py (RadialBasisFunction; commit 17b6540).
#include "ops/kan/common.h"

namespace lathe {

Tensor rbf_basis(const Tensor& x, const Tensor& grid, double denominator) {
  const char* op = "rbf_basis";
  check_floating(op, "x", x);
  check_floating(op, "grid", grid);
  LATHE_CHECK(denominator > 0, "[rbf_basis] denominator must be positive, got ", denominator);
  LATHE_CHECK(x.dim() >= 1, "[rbf_basis] x must be [..., in], got a 0-d tensor");
  int64_t in = x.shape().back();
  LATHE_CHECK(grid.dim() == 1 || (grid.dim() == 2 && grid.size(0) == in),
              "[rbf_basis] grid must be [n] or [in = ", in, ", n], got ", grid.shape());
  Tensor z = (kan::per_feature(x) - grid) / denominator;                  // [..., in, n]
  return exp(-(z * z));
}

LATHE_REGISTER_OPS(rbf_basis) {
  registry.add(OpDef("rbf_basis", "kan")
                   .summary("FastKAN Gaussian bases exp(-((x - grid) / h)^2): "
                            "[..., in] -> [..., in, n]")
                   .paper("Kolmogorov-Arnold Networks are Radial Basis Function Networks")
                   .input("x")
                   .input("grid", Kind::floating, kNoGrad)
                   .attr("denominator", 4.0 / 7.0,
                         "h; FastKAN: (grid_max - grid_min) / (num_grids - 1)")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{rbf_basis(c.in("x"), c.in("grid"), c.f("denominator"))};
                   }));
}

}  // namespace lathe
