// logit_z_loss, unlikelihood_loss: bad input names the op; values by hand; every token ignored
// gives a finite 0 (the loss contract; the references give 0/0).
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"

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

TEST_CASE("tempnet_dro_ce_loss and emo_loss: errors and values by hand", "[unit][losses]") {
  Tensor z = zeros({2, 4}, DType::f64);
  Tensor y = from_vector(std::vector<int64_t>{0, 3}, {2});
  CHECK_THROWS_WITH(tempnet_dro_ce_loss(z, y, ones({2}, DType::f64)),
                    Catch::Contains("[tempnet_dro_ce_loss] tau must have shape"));
  CHECK_THROWS_WITH(emo_loss(z, y, ones({3, 2}, DType::f64)),
                    Catch::Contains("[emo_loss] cost_embedding must be [V, H]"));
  // uniform logits: CE = log 4 at any tau; tau 2, rho 8: 2 log 4 + (8 - log 4) 2 = 16
  CHECK(tempnet_dro_ce_loss(z, y, full({2, 1}, 2.0, DType::f64)).item() ==
        Approx(16.0).epsilon(1e-14));
  // orthogonal unit cost embeddings (E = I): emo = 1 - q_y (up to 1e-15), uniform q: 0.75;
  // l = 0.5 (mle + mle emo / (emo + 1e-10)) = log 4 up to the 1e-10
  Tensor eye = from_vector(std::vector<double>{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1},
                           {4, 4});
  CHECK(emo_loss(z, y, eye).item() == Approx(std::log(4.0)).epsilon(1e-9));   // the 1e-10
  Tensor none = emo_loss(z, from_vector(std::vector<int64_t>{-100, -100}, {2}), eye);
  CHECK(none.item() == 0.0);
}

TEST_CASE("dco_loss: errors, N = 1 is the NLL, the exact form far out", "[unit][losses]") {
  Tensor lp = from_vector(std::vector<double>{-0.5, -0.25}, {1, 2}).requires_grad_();
  Tensor m = ones({1, 2}, DType::f64);
  CHECK_THROWS_WITH(dco_loss(lp, m, {0}), Catch::Contains("[dco_loss] N must be >= 1"));
  CHECK_THROWS_WITH(dco_loss(lp, m, {4, "paper"}), Catch::Contains("[dco_loss] variant"));
  CHECK_THROWS_WITH(dco_loss(lp, ones({1, 3}, DType::f64)), Catch::Contains("[dco_loss]"));
  // N = 1: reference is the token-mean NLL 0.375, exact the sequence NLL 0.75
  CHECK(dco_loss(lp, m, {1}).item() == Approx(0.375).epsilon(1e-15));
  CHECK(dco_loss(lp, m, {1, "exact"}).item() == Approx(0.75).epsilon(1e-14));
  // exact: -log(1 - (1 - p)^N) by hand, and gradient -F(N, p)
  double p = std::exp(-0.75), want = -std::log(1 - std::pow(1 - p, 4));
  Tensor l = dco_loss(lp, m, {4, "exact"});
  CHECK(l.item() == Approx(want).epsilon(1e-13));
  l.backward();
  double f = 4 * p * std::pow(1 - p, 3) / (1 - std::pow(1 - p, 4));
  CHECK(lp.grad().to_vector<double>()[0] == Approx(-f).epsilon(1e-12));
  // log p = -200: 200 - log 16 (the naive form overflows to inf)
  Tensor far = from_vector(std::vector<double>{-200}, {1, 1});
  CHECK(dco_loss(far, ones({1, 1}, DType::f64), {16, "exact"}).item() ==
        Approx(200 - std::log(16.0)).epsilon(1e-12));
}

TEST_CASE("kv_cache_prediction_loss: errors, a layer by hand, all ignored", "[unit][losses]") {
  Tensor kh = full({1, 1, 2, 1}, 1.0, DType::f64).requires_grad_();
  Tensor k = zeros({1, 1, 2, 1}, DType::f64);
  Tensor vh = full({1, 1, 2, 1}, 3.0, DType::f64);
  Tensor lab = from_vector(std::vector<int64_t>{5, -100}, {1, 2});
  CHECK_THROWS_WITH(kv_cache_prediction_loss({kh}, {}, {vh}, {k}, lab),
                    Catch::Contains("[kv_cache_prediction_loss] needs one"));
  CHECK_THROWS_WITH(kv_cache_prediction_loss({kh}, {k}, {vh}, {k}, cast(lab, DType::f64)),
                    Catch::Contains("[kv_cache_prediction_loss] labels must be integers"));
  // one kept position: |1 - 0| + |3 - 0|
  CHECK(kv_cache_prediction_loss({kh}, {k}, {vh}, {k}, lab).item() == 4.0);
  Tensor none = kv_cache_prediction_loss({kh}, {k}, {vh}, {k}, full({1, 2}, -100, DType::i64));
  CHECK(none.item() == 0.0);
  none.backward();
  for (double g : kh.grad().to_vector<double>()) CHECK(g == 0.0);
}
