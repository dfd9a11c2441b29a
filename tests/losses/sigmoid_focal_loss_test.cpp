// sigmoid_focal_loss: bad input names the op; the members the runners do not assert.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"

using namespace lathe;

TEST_CASE("sigmoid_focal_loss rejects bad input, naming the op", "[unit][losses][errors]") {
  Tensor x = zeros({2, 3}), t = zeros({2, 3});
  CHECK_THROWS_WITH(sigmoid_focal_loss(x, zeros({3, 2})),
                    Catch::Contains("[sigmoid_focal_loss]") && Catch::Contains("[3, 2]"));
  CHECK_THROWS_WITH(sigmoid_focal_loss(x, cast(t, DType::i64)),
                    Catch::Contains("[sigmoid_focal_loss] target"));
  SigmoidFocalLossOptions o;
  o.gamma = -0.5;
  CHECK_THROWS_WITH(sigmoid_focal_loss(x, t, o), Catch::Contains("[sigmoid_focal_loss] gamma"));
  o = {};
  o.num_boxes = -2;
  CHECK_THROWS_WITH(sigmoid_focal_loss(x, t, o),
                    Catch::Contains("[sigmoid_focal_loss] num_boxes"));
  o.num_boxes = 2;
  CHECK_THROWS_WITH(sigmoid_focal_loss(zeros({4}), zeros({4}), o),
                    Catch::Contains("[sigmoid_focal_loss] num_boxes needs [B, Q, ...]"));
  o = {};
  o.reduction = "mean!";
  CHECK_THROWS_WITH(sigmoid_focal_loss(x, t, o),
                    Catch::Contains("[sigmoid_focal_loss] reduction"));
}

TEST_CASE("sigmoid_focal_loss: gamma 0 without alpha is BCE, DETR's num_boxes form",
          "[unit][losses]") {
  Tensor x = randn({2, 5, 3}, DType::f64);
  Tensor t = rand({2, 5, 3}, DType::f64);
  SigmoidFocalLossOptions o;
  o.gamma = 0;
  o.alpha = -1;
  BceWithLogitsOptions none;
  none.reduction = "none";
  CHECK(max(abs(sigmoid_focal_loss(x, t, o) - bce_with_logits(x, t, none))).item() < 1e-15);
  // One element by hand: x = 1, t = 1: p_t = sigmoid(1), l = 0.25 (1 - p_t)^2 softplus(-1).
  Tensor one = full({1}, 1.0, DType::f64);
  double p = 1.0 / (1.0 + std::exp(-1.0));
  CHECK(sigmoid_focal_loss(one, one).item() ==
        Approx(0.25 * (1 - p) * (1 - p) * std::log1p(std::exp(-1.0))).epsilon(1e-14));
  SigmoidFocalLossOptions detr;
  detr.num_boxes = 4;
  Tensor l = sigmoid_focal_loss(x, t);                                       // [2, 5, 3]
  CHECK(sigmoid_focal_loss(x, t, detr).item() ==
        Approx(sum(l).item() / 5.0 / 4.0).epsilon(1e-13));
}
