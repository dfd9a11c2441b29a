// Test cases for ops/kan/bspline_basis.cpp, and its behaviour outside the grid, on knots and on
// repeated knots.
#include <catch2/catch.hpp>

#include <limits>

#include "tests/ops/kan/helpers.h"
#include "tests/support/cases.h"

using lathe::test::kan::grid_values;

LATHE_CASES(bspline_basis) {
  // Cubic splines are C2 at the knots: uniform inputs need no margin for first and second order.
  add(Case("bspline_basis")
          .in("x", {4, 2}, -0.95, 0.95)
          .values("grid", {2, 12}, grid_values(2, 5, 3))
          .note("[4,2] on the default grid (G 5, k 3)"));
  add(Case("bspline_basis", "three_features")
          .in("x", {4, 3}, -0.95, 0.95)
          .values("grid", {3, 12}, grid_values(3, 5, 3))
          .no_oracle("its [4,3,8] bases are over the fixtures' 64-element limit; basic covers it")
          .note("[4,3] on the default grid"));
  // Hat functions (k = 1) kink at the knots (multiples of 0.5): hand-picked inputs.
  add(Case("bspline_basis", "order1")
          .values("x", {5, 2}, {-0.8, 0.3, 0.65, -0.15, 0.1, 0.9, -0.35, 0.6, 0.2, -0.7})
          .values("grid", {2, 7}, grid_values(2, 4, 1))
          .attr("spline_order", 1)
          .note("k = 1 (hat functions), G 4 on [-1, 1], away from the knots"));
  add(Case("bspline_basis", "per_feature_grid")
          .values("x", {4, 2}, {-0.5, 0.1, 0.35, -0.2, 0.8, 0.55, -0.05, 0.9})
          .values("grid", {2, 9},
                  {-1.6, -1.2, -0.7, -0.3, 0.2, 0.5, 1.0, 1.3, 1.9,
                   -1.4, -0.9, -0.6, -0.1, 0.0, 0.45, 0.75, 1.1, 1.5})
          .attr("spline_order", 2)
          .note("k = 2, non-uniform knots, a different grid per feature"));
  add(Case("bspline_basis", "quadratic_leading_dims")
          .values("x", {2, 2, 2}, {-0.9, -0.2, 0.1, 0.5, 0.8, -0.6, 0.45, 0.0})
          .values("grid", {2, 8}, grid_values(2, 3, 2))
          .attr("spline_order", 2)
          .note("x [2,2,2]: bases broadcast over leading dims, k 2, G 3"));
  add(Case("bspline_basis", "outside_grid")
          .values("x", {2, 2}, {-3.0, 2.5, 10.0, -7.0})
          .values("grid", {2, 12}, grid_values(2, 5, 3))
          .note("outside [g_0, g_last): all bases vanish"));
  // The knots of grid_values(2, 5, 3): -2.2 + 0.4 i.
  add(Case("bspline_basis", "out_of_grid")
          .values("x", {4, 2}, {-3.0, 1e6, -2.2, 2.2, 2.2, -0.2, 1.0, -1e6})
          .values("grid", {2, 12}, grid_values(2, 5, 3))
          .at_kink("inputs exactly on knots")
          .note("outside [g_0, g_last) all bases vanish; exactly on knots the half-open rule "
                "decides"));
  add(Case("bspline_basis", "repeated_knots")
          .values("x", {4, 2}, {0.1, 0.3, 0.45, 0.6, 0.7, 0.95, 0.2, 0.85})
          .values("grid", {2, 7}, {0, 0, 0, 0.5, 1, 1, 1, 0, 0, 0, 0.5, 1, 1, 1})
          .attr("spline_order", 2)
          .note("clamped knots [0,0,0,0.5,1,1,1], k 2: 0/0 spans give 0"));
}

namespace {
using namespace lathe;
using lathe::test::kan::all_finite;
using lathe::test::kan::f64;

std::vector<double> row_sums(const Tensor& b) { return sum(b, {-1}).to_vector<double>(); }
}  // namespace

TEST_CASE("bspline_basis: partition of unity inside the grid range, zero outside the grid",
          "[unit][kan]") {
  Tensor grid = kan_grid(1, 5, 3, -1.0, 1.0, DType::f64);
  std::vector<double> inside;
  for (int i = 0; i < 40; ++i) inside.push_back(-1.0 + 0.05 * i + 0.013);
  for (double s : row_sums(bspline_basis(f64(inside, {40, 1}), grid)))
    CHECK(s == Approx(1.0).margin(1e-12));
  // Beyond the extended grid [-2.2, 2.2): every basis is exactly 0, and so is the gradient.
  const double inf = std::numeric_limits<double>::infinity();
  Tensor x = f64({-2.3, 2.2, 2.5, -1e6, 1e30, -1e300, inf, -inf}, {8, 1}).requires_grad_();
  Tensor b = bspline_basis(x, grid);
  for (double v : b.to_vector<double>()) CHECK(v == 0.0);
  sum(b * b.detach() + b).backward();
  for (double v : x.grad().to_vector<double>()) CHECK(v == 0.0);
  // In f32, x near the largest float times a reciprocal knot width would overflow.
  Tensor b32 = bspline_basis(x.detach().to(DType::f32) * 3e38, grid.to(DType::f32));
  for (float v : b32.to_vector<float>()) CHECK(v == 0.0f);
}

TEST_CASE("bspline_basis: a knot belongs to the interval it starts (half-open rule)",
          "[unit][kan]") {
  Tensor grid = f64({0.0, 1.0, 2.0, 3.0}, {1, 4});
  // Order 0: the indicator of the interval starting at the knot.
  Tensor b0 = bspline_basis(f64({0.0, 1.0, 2.0, 3.0}, {4, 1}), grid, 0);   // [4, 1, 3]
  CHECK(b0.to_vector<double>() == std::vector<double>{1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0});
  // Order 1 (hats on [0, 2) and [1, 3)): each rises from 0 at its first knot to 1 at the next.
  Tensor b1 = bspline_basis(f64({0.0, 0.5, 1.0, 2.0}, {4, 1}), grid, 1);   // [4, 1, 2]
  CHECK(b1.to_vector<double>() == std::vector<double>{0, 0, 0.5, 0, 1, 0, 0, 1});
}

TEST_CASE("bspline_basis: repeated (clamped) knots stay finite and sum to one", "[unit][kan]") {
  Tensor grid = f64({0, 0, 0, 0, 0.5, 1, 1, 1, 1}, {1, 9});
  Tensor x = f64({0.0, 0.2, 0.5, 0.77, 0.999}, {5, 1}).requires_grad_();
  Tensor b = bspline_basis(x, grid, 3);                                   // [5, 1, 5]
  CHECK(all_finite(b));
  for (double s : row_sums(b)) CHECK(s == Approx(1.0).margin(1e-12));
  CHECK(b.to_vector<double>()[0] == 1.0);  // clamped: the first basis is 1 at the left end
  sum(b * b.detach()).backward();
  CHECK(all_finite(x.grad()));
}

TEST_CASE("bspline_basis: f16 and bf16 divided differences keep the partition of unity",
          "[unit][kan]") {
  // Knots such as -2.2 are not representable: the rounding shows up in the sums, no worse than
  // a few units in the last place.
  for (auto [dtype, tol] : {std::pair<DType, double>{DType::f16, 4e-3}, {DType::bf16, 3e-2}}) {
    INFO(dtype_name(dtype));
    Tensor x = arange(-0.99, 0.99, 0.05, DType::f64).reshape({40, 1}).to(dtype);
    Tensor b = bspline_basis(x, kan_grid(1, 5, 3, -1.0, 1.0, dtype));
    CHECK(b.dtype() == dtype);
    for (double s : row_sums(b.to(DType::f64))) CHECK(s == Approx(1.0).margin(tol));
  }
}

TEST_CASE("kan_grid: efficient-kan's uniform knots, one row per feature", "[unit][kan]") {
  Tensor g = kan_grid(2, 5, 3, -1.0, 1.0, DType::f64);
  REQUIRE(g.shape() == Shape{2, 12});
  std::vector<double> v = g.to_vector<double>();
  for (int j = 0; j < 12; ++j) {
    CHECK(v[j] == Approx((j - 3) * 0.4 - 1.0).margin(1e-15));
    CHECK(v[12 + j] == v[j]);
  }
  CHECK_THROWS_WITH(kan_grid(2, 0), Catch::Contains("[kan_grid]"));
}

TEST_CASE("bspline_basis: bad inputs name the op", "[unit][kan][errors]") {
  Tensor grid = kan_grid(3, 5, 3, -1.0, 1.0, DType::f64);
  CHECK_THROWS_WITH(bspline_basis(zeros({4, 2}, DType::f64), grid),
                    Catch::Contains("[bspline_basis] grid must be [in = 2"));
  CHECK_THROWS_WITH(bspline_basis(zeros({4, 3}, DType::f64), grid, 6),
                    Catch::Contains("[bspline_basis] grid must be"));
  CHECK_THROWS_WITH(bspline_basis(zeros({4, 3}, DType::f64), grid, -1),
                    Catch::Contains("[bspline_basis] spline_order must be >= 0"));
  CHECK_THROWS_WITH(bspline_basis(zeros({4, 3}, DType::i64), grid),
                    Catch::Contains("[bspline_basis] x must be a floating tensor"));
}
