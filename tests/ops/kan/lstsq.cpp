// The host least-squares solver behind the spline fits (ops/kan/lstsq.cpp): over- and
// underdetermined, rank-deficient and zero systems against closed forms.
#include <catch2/catch.hpp>

#include "ops/kan/lstsq.h"

using lathe::kan::lstsq_min_norm;

TEST_CASE("lstsq_min_norm: overdetermined systems give the least-squares fit", "[unit][kan]") {
  // Fit y = c0 + c1 t through (0, 1), (1, 2), (2, 4): normal equations give c = (5/6, 3/2).
  std::vector<double> a = {1, 0, 1, 1, 1, 2}, b = {1, 2, 4};
  std::vector<double> x = lstsq_min_norm(a, 3, 2, b, 1);
  CHECK(x[0] == Approx(5.0 / 6.0).epsilon(1e-14));
  CHECK(x[1] == Approx(1.5).epsilon(1e-14));
}

TEST_CASE("lstsq_min_norm: underdetermined systems give the minimum-norm solution",
          "[unit][kan]") {
  // x1 + x2 + 2 x3 = 4: the least-norm solution is a^T 4 / |a|^2 = (2/3, 2/3, 4/3).
  std::vector<double> x = lstsq_min_norm({1, 1, 2}, 1, 3, {4}, 1);
  CHECK(x[0] == Approx(2.0 / 3.0).epsilon(1e-14));
  CHECK(x[1] == Approx(2.0 / 3.0).epsilon(1e-14));
  CHECK(x[2] == Approx(4.0 / 3.0).epsilon(1e-14));
}

TEST_CASE("lstsq_min_norm: rank-deficient systems and several right-hand sides", "[unit][kan]") {
  // Two equal columns and repeated rows: x1 + x2 = 3 (twice), x1 + x2 = 5 -> x1 = x2 = 11/6;
  // second right-hand side 2 b.
  std::vector<double> a = {1, 1, 1, 1, 1, 1}, b = {3, 6, 3, 6, 5, 10};
  std::vector<double> x = lstsq_min_norm(a, 3, 2, b, 2);
  CHECK(x[0] == Approx(11.0 / 6.0).epsilon(1e-13));
  CHECK(x[2] == Approx(11.0 / 6.0).epsilon(1e-13));
  CHECK(x[1] == Approx(11.0 / 3.0).epsilon(1e-13));
  CHECK(x[3] == Approx(11.0 / 3.0).epsilon(1e-13));
  CHECK(lstsq_min_norm({0, 0, 0, 0}, 2, 2, {1, 2}, 1) == std::vector<double>{0, 0});
  CHECK_THROWS_WITH(lstsq_min_norm({1, 2}, 2, 2, {1, 2}, 1), Catch::Contains("[lstsq]"));
}
