// Cases and unit tests for ops/norm/power_norm_vanilla.cpp.
#include <catch2/catch.hpp>

#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

LATHE_CASES(power_norm_vanilla) {
  add(Case("power_norm_vanilla", "rows")
          .in("x", {6, 3})
          .in("weight", {3}, 0.5, 2.0)
          .in("bias", {3})
          .note("[6,3] rows"));
  add(Case("power_norm_vanilla", "t_b_c")
          .in("x", {3, 2, 4})
          .in("weight", {4}, 0.5, 2.0)
          .in("bias", {4})
          .note("[3,2,4]: every leading index is a row"));
  add(Case("power_norm_vanilla", "zero_feature")
          .values("x", {5, 3},
                  {0.8, 0, -1.2, -0.3, 0, 0.5, 1.9, 0, 0.1, -1.0, 0, -0.6, 0.4, 0, 1.4})
          .in("weight", {3}, 0.5, 2.0)
          .normal("bias", {3})
          .oracle_only("the eps path: the unit tests check it")
          .note("feature 1 all zero: eps path, y = bias there"));
}

TEST_CASE("power_norm_vanilla: batch quadratic mean per feature, no mean subtraction",
          "[unit][norm]") {
  Tensor x = from_vector(std::vector<double>{1, 0, 3, 0, -1, 0}, {3, 2});  // psi2 = [11/3, 0]
  Tensor w = from_vector(std::vector<double>{2, 1}, {2});
  Tensor b = from_vector(std::vector<double>{0, 0.5}, {2});
  Tensor y = power_norm_vanilla(x, w, b);
  double s = 1 / std::sqrt(11.0 / 3 + 1e-5);
  CHECK(compare(y, from_vector(std::vector<double>{2 * s, 0.5, 6 * s, 0.5, -2 * s, 0.5}, {3, 2}),
                1e-15, 1e-15) == "");  // the all-zero feature gives the bias
  // A single row: x / sqrt(x^2 + eps), nearly its sign.
  Tensor one = power_norm_vanilla(from_vector(std::vector<double>{-3, 0.5}, {1, 2}), w, b);
  CHECK(one.to_vector<double>()[0] == Approx(-2.0).epsilon(1e-5));
}

TEST_CASE("power_norm_vanilla: bad inputs name the op", "[unit][norm][errors]") {
  Tensor w = ones({2}, DType::f64);
  CHECK_THROWS_WITH(power_norm_vanilla(zeros({3, 2}, DType::f64), ones({3}, DType::f64), w),
                    Catch::Contains("[power_norm_vanilla] weight must have shape [2]"));
  CHECK_THROWS_WITH(power_norm_vanilla(zeros({0, 2}, DType::f64), w, w),
                    Catch::Contains("[power_norm_vanilla] no rows"));
}
