// logit_z_loss, unlikelihood_loss: bad input names the op; values by hand; every token ignored
// gives a finite 0 (the loss contract; the references give 0/0).
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"
#include "losses/lm/lm.h"

using namespace lathe;

TEST_CASE("logit_z_loss and unlikelihood_loss reject bad input, naming the op",
          "[unit][losses][errors]") {
  Tensor x = zeros({3, 4});
  Tensor y = from_vector(std::vector<int64_t>{0, 1, 2}, {3});
  CHECK_THROWS_WITH(logit_z_loss(x, cast(y, DType::f32)),
                    Catch::Contains("[logit_z_loss] class-index targets must be integers"));
  CHECK_THROWS_WITH(logit_z_loss(zeros({3}), y), Catch::Contains("[logit_z_loss] input"));
  LogitZLossOptions bad;
  bad.mode = "other";
  CHECK_THROWS_WITH(logit_z_loss(x, y, bad), Catch::Contains("[logit_z_loss] mode"));
  CHECK_THROWS_WITH(unlikelihood_loss(full({3, 4}, 0.25), cast(y, DType::f32)),
                    Catch::Contains("[unlikelihood_loss] class-index targets"));
  CHECK_THROWS_WITH(unlikelihood_loss(full({3, 4}, 0.25),
                                      from_vector(std::vector<int64_t>{0, 4, 1}, {3})),
                    Catch::Contains("[unlikelihood_loss] target 4 out of range"));
  UnlikelihoodLossOptions e;
  e.eps = 2;
  CHECK_THROWS_WITH(unlikelihood_loss(full({3, 4}, 0.25), y, e),
                    Catch::Contains("[unlikelihood_loss] eps"));
}

TEST_CASE("logit_z_loss: by hand, the reference quirk, all ignored", "[unit][losses]") {
  // row 0 (0, 0): LSE = log 2; the ignored row (1, 1) is zeroed first and adds (log 2)^2 too
  Tensor x = from_vector(std::vector<double>{0, 0, 1, 1}, {2, 2}).requires_grad_();
  Tensor y = from_vector(std::vector<int64_t>{0, -100}, {2});
  LogitZLossOptions o;
  o.eps = 1;
  double l2 = std::log(2.0);
  CHECK(logit_z_loss(x, y, o).item() == Approx(2 * l2 * l2).epsilon(1e-14));
  o.mode = "masked";
  CHECK(logit_z_loss(x, y, o).item() == Approx(l2 * l2).epsilon(1e-14));
  Tensor none = logit_z_loss(x, from_vector(std::vector<int64_t>{-100, -100}, {2}), o);
  CHECK(none.item() == 0.0);
  none.backward();
  for (double g : x.grad().to_vector<double>()) CHECK(g == 0.0);
}

TEST_CASE("unlikelihood_loss: by hand, all ignored", "[unit][losses]") {
  // p = (0.5, 0.25, 0.25), y = 0: lp = (log .5, log .75, log .75)
  Tensor p = from_vector(std::vector<double>{0.5, 0.25, 0.25}, {1, 3}).requires_grad_();
  Tensor y = from_vector(std::vector<int64_t>{0}, {1});
  double nll = -std::log(0.5), smooth = -(std::log(0.5) + 2 * std::log(0.75));
  CHECK(unlikelihood_loss(p, y).item() ==
        Approx(0.9 * nll + 0.1 * smooth / 3).epsilon(1e-14));
  Tensor none = unlikelihood_loss(p, from_vector(std::vector<int64_t>{-100}, {1}));
  CHECK(none.item() == 0.0);
  none.backward();
  for (double g : p.grad().to_vector<double>()) CHECK(g == 0.0);
}

TEST_CASE("margin_rank_calibration_loss: errors and a ranking by hand", "[unit][losses]") {
  CHECK_THROWS_WITH(margin_rank_calibration_loss(zeros({4})),
                    Catch::Contains("[margin_rank_calibration_loss] scores"));
  CHECK_THROWS_WITH(margin_rank_calibration_loss(zeros({2, 3}), {}, zeros({3})),
                    Catch::Contains("[margin_rank_calibration_loss] gold_scores"));
  // scores (0, 0.5, -1), margin 0.1: gap 1 pairs relu(0.5 - 0 + 0.1) = 0.6, relu(-1.5 + 0.1) = 0
  // (mean 0.3); gap 2: relu(-1 - 0 + 0.2) = 0; with gold 0.2: relu(-0.2, 0.3, -1.2) mean 0.1
  Tensor f = from_vector(std::vector<double>{0, 0.5, -1}, {1, 3});
  CHECK(margin_rank_calibration_loss(f, {0.1}).item() == Approx(0.3).epsilon(1e-14));
  CHECK(margin_rank_calibration_loss(f, {0.1}, full({1}, 0.2, DType::f64)).item() ==
        Approx(0.4).epsilon(1e-14));
}
