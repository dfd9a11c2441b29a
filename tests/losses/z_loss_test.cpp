// z_loss: bad input names the op; invariance, and the all-equal row the runners cannot take.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"

using namespace lathe;

TEST_CASE("z_loss rejects bad input, naming the op", "[unit][losses][errors]") {
  Tensor o = zeros({3, 4});
  Tensor y = from_vector(std::vector<int64_t>{0, 1, 2}, {3});
  CHECK_THROWS_WITH(z_loss(o, cast(y, DType::f32)),
                    Catch::Contains("[z_loss] class-index targets must be integers"));
  CHECK_THROWS_WITH(z_loss(zeros({3}), y), Catch::Contains("[z_loss] input"));
  CHECK_THROWS_WITH(z_loss(o, from_vector(std::vector<int64_t>{0, 1, 4}, {3})),
                    Catch::Contains("4"));
  ZLossOptions bad;
  bad.a = 0;
  CHECK_THROWS_WITH(z_loss(o, y, bad), Catch::Contains("[z_loss] a must be > 0"));
  bad = {};
  bad.reduction = "avg";
  CHECK_THROWS_WITH(z_loss(o, y, bad), Catch::Contains("[z_loss] reduction"));
}

TEST_CASE("z_loss: shift and scale invariant, an all-equal row is finite", "[unit][losses]") {
  Generator gen(7);  // its own stream: the global one's state depends on the tests run before
  Tensor o = randn({4, 5}, DType::f64, default_device(), &gen);
  Tensor y = from_vector(std::vector<int64_t>{0, 4, 2, 1}, {4});
  ZLossOptions ab;
  ab.a = 2;
  ab.b = 1.5;
  CHECK(z_loss(3.0 * o + 5.0, y, ab).item() == Approx(z_loss(o, y, ab).item()).epsilon(1e-12));
  // One row by hand: o = (1, 2, 3), y = 2: z_y = 1 / (sqrt(2/3) + eps), l = softplus(-z_y).
  Tensor row = from_vector(std::vector<double>{1, 2, 3}, {1, 3});
  double z = 1.0 / (std::sqrt(2.0 / 3.0) + 1e-12);
  CHECK(z_loss(row, from_vector(std::vector<int64_t>{2}, {1})).item() ==
        Approx(std::log1p(std::exp(-z))).epsilon(1e-14));
  // sigma = 0: z_y = 0 / eps = 0, the value softplus(a b)/a = log(1 + e^3)/2.
  Tensor flat = full({1, 4}, 0.7, DType::f64);
  CHECK(z_loss(flat, from_vector(std::vector<int64_t>{1}, {1}), ab).item() ==
        Approx(std::log1p(std::exp(3.0)) / 2.0).epsilon(1e-14));
}
