// Test cases for ops/kan/rbf_basis.cpp.
#include <catch2/catch.hpp>

#include "tests/ops/kan/helpers.h"
#include "tests/support/cases.h"

LATHE_CASES(rbf_basis) {
  // FastKAN's 8 centres in [-2, 2]
  const std::vector<double> centres = {-2.0,           -2.0 + 4.0 / 7, -2.0 + 8.0 / 7,
                                       -2.0 + 12.0 / 7, 2.0 - 12.0 / 7, 2.0 - 8.0 / 7,
                                       2.0 - 4.0 / 7,   2.0};
  add(Case("rbf_basis").normal("x", {4, 2}).values("grid", {8}, centres)
          .note("[4,2] on FastKAN's 8 centres in [-2, 2], h 4/7"));
  add(Case("rbf_basis", "per_feature_grid")
          .in("x", {3, 2})
          .values("grid", {2, 3}, {-1.0, 0.0, 1.0, -2.0, -1.0, 0.5})
          .attr("denominator", 0.5)
          .note("grid [2,3] per feature, h 0.5"));
  add(Case("rbf_basis", "per_feature")
          .normal("x", {3, 2})
          .values("grid", {2, 5}, {-1.0, -0.5, 0.0, 0.5, 1.0, -2.0, -1.5, -1.0, -0.5, 0.0})
          .attr("denominator", 0.5)
          .oracle_only("per_feature_grid gradchecks per-feature grids")
          .note("grid [2,5] per feature, h 0.5"));
  add(Case("rbf_basis", "far_outside")
          .values("x", {2, 2}, {40.0, -40.0, 0.3, -0.2})
          .values("grid", {8}, centres)
          .oracle_only("every basis underflows to 0: the values are the point")
          .note("|x| = 40: every basis underflows to 0, gradient 0"));
}

namespace {
using namespace lathe;
using lathe::test::kan::f64;
}  // namespace

TEST_CASE("rbf_basis: far outside the grid the bases and gradients are exactly 0",
          "[unit][kan]") {
  Tensor x = f64({40.0, -40.0, 1e6}, {3, 1}).requires_grad_();
  Tensor y = rbf_basis(x, f64({-2.0, 0.0, 2.0}, {3}), 0.5);
  for (double v : y.to_vector<double>()) CHECK(v == 0.0);
  sum(y).backward();
  for (double v : x.grad().to_vector<double>()) CHECK(v == 0.0);
  Tensor at = rbf_basis(f64({0.0}, {1, 1}), f64({-0.5, 0.0}, {2}), 0.5);
  CHECK(at.to_vector<double>()[1] == 1.0);
  CHECK(at.to_vector<double>()[0] == Approx(std::exp(-1.0)));
}

TEST_CASE("rbf_basis: bad inputs name the op", "[unit][kan][errors]") {
  Tensor x = zeros({2, 3}, DType::f64);
  CHECK_THROWS_WITH(rbf_basis(x, zeros({2, 4}, DType::f64)),
                    Catch::Contains("[rbf_basis] grid must be [n] or [in = 3, n]"));
  CHECK_THROWS_WITH(rbf_basis(x, zeros({4}, DType::f64), 0.0),
                    Catch::Contains("[rbf_basis] denominator must be positive"));
}
