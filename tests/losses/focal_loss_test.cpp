// focal_loss: bad input names the op; the members and limits the runners do not assert.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"

using namespace lathe;

TEST_CASE("focal_loss rejects bad input, naming the op", "[unit][losses][errors]") {
  Tensor z = zeros({3, 4});
  Tensor y = from_vector(std::vector<int64_t>{0, 1, 2}, {3});
  CHECK_THROWS_WITH(focal_loss(z, cast(y, DType::f32)),
                    Catch::Contains("[focal_loss] class-index targets must be integers"));
  CHECK_THROWS_WITH(focal_loss(z, from_vector(std::vector<int64_t>{0, 1}, {2})),
                    Catch::Contains("[focal_loss]") && Catch::Contains("[2]"));
  CHECK_THROWS_WITH(focal_loss(zeros({3, 4, 2}), y), Catch::Contains("[focal_loss] input"));
  CHECK_THROWS_WITH(focal_loss(z, from_vector(std::vector<int64_t>{0, 1, 7}, {3})),
                    Catch::Contains("7"));
  FocalLossOptions o;
  o.gamma = -1;
  CHECK_THROWS_WITH(focal_loss(z, y, o), Catch::Contains("[focal_loss] gamma must be >= 0"));
  o = {};
  o.reduction = "avg";
  CHECK_THROWS_WITH(focal_loss(z, y, o), Catch::Contains("[focal_loss] reduction"));
}

TEST_CASE("focal_loss: gamma 0 is alpha times cross-entropy, confident rows give ~0",
          "[unit][losses]") {
  Tensor z = randn({6, 5}, DType::f64);
  Tensor y = from_vector(std::vector<int64_t>{0, 4, 2, 2, 1, 3}, {6});
  FocalLossOptions o;
  o.gamma = 0;
  o.alpha = 0.5;
  CHECK(focal_loss(z, y, o).item() == Approx(0.5 * cross_entropy(z, y).item()).epsilon(1e-14));
  // gamma 2: l = alpha (1 - p_t)^2 ce, by hand for one row.
  Tensor row = from_vector(std::vector<double>{2.0, 0.0, -1.0}, {1, 3});
  Tensor y0 = from_vector(std::vector<int64_t>{0}, {1});
  double p = std::exp(2.0) / (std::exp(2.0) + 1.0 + std::exp(-1.0));
  CHECK(focal_loss(row, y0).item() ==
        Approx(0.25 * (1 - p) * (1 - p) * -std::log(p)).epsilon(1e-14));
  // p_t = 1 - 1e-13: the value is about 2e-39, never rounding noise below 0.
  Tensor sure = from_vector(std::vector<double>{40.0, 10.0, 10.0}, {1, 3});
  double l = focal_loss(sure, y0).item();
  CHECK(l >= 0.0);
  CHECK(l < 1e-30);
}
