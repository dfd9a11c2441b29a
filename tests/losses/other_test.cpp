// The "other" family's ops in losses/other/: bad input names the op; hand-computed values
// (NFE-1 on one triple, DEPICT's targets and gradient, ITTA's f_w at its official init and the
// meta penalty, Loki's first arg-min, datamodel matching, Hawk's cosine).
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"
#include "losses/other/other.h"

using namespace lathe;

namespace {

Tensor f64(std::vector<double> v, Shape s) { return from_vector(v, s, DType::f64); }

double softplus_d(double x) { return std::log1p(std::exp(x)); }

}  // namespace

TEST_CASE("other family ops reject bad input, naming the op", "[unit][losses][errors]") {
  Tensor h = randn({2, 4}, DType::f64), e = randn({3, 4}, DType::f64);
  Tensor tail = from_vector(std::vector<int64_t>{0, 2}, {2});
  CHECK_THROWS_WITH(nfe_score_loss(randn({2, 3}, DType::f64), randn({2, 3}, DType::f64),
                                   randn({3, 3}, DType::f64), tail),
                    Catch::Contains("[nfe_score_loss] relation rows hold (mu, sigma) halves"));
  CHECK_THROWS_WITH(nfe_score_loss(h, h, e, from_vector(std::vector<int64_t>{0, 3}, {2})),
                    Catch::Contains("[nfe_score_loss] tail holds class index 3"));
  CHECK_THROWS_WITH(nfe_score_loss(h, h, e, f64({0, 1}, {2})),
                    Catch::Contains("[nfe_score_loss] tail must hold integer"));
  NfeScoreLossOptions bad;
  bad.variant = "nfe4";
  CHECK_THROWS_WITH(nfe_score_loss(h, h, e, tail, bad),
                    Catch::Contains("[nfe_score_loss] variant must be nfe1, nfe2 or nfe3"));
  CHECK_THROWS_WITH(nfe_score_loss(h, h, e, tail, NfeScoreLossOptions{1.0, "nfe2", "mean"}),
                    Catch::Contains("[nfe_score_loss] head must be [2, 6]"));
  bad = {};
  bad.reduction = "batchmean";
  CHECK_THROWS_WITH(nfe_score_loss(h, h, e, tail, bad),
                    Catch::Contains("[nfe_score_loss] reduction must be"));
  CHECK_THROWS_WITH(nfe_score_loss(h, h, randn({3, 6}, DType::f64), tail),
                    Catch::Contains("[nfe_score_loss] entities"));

  CHECK_THROWS_WITH(depict_cluster_loss(randn({3, 2}, DType::f64), randn({3, 3}, DType::f64)),
                    Catch::Contains("[depict_cluster_loss]"));
  CHECK_THROWS_WITH(depict_target(rand({3, 2}, DType::f64), "sqrt"),
                    Catch::Contains("[depict_cluster_loss] target variant must be code or paper"));

  Tensor z = randn({4, 3}, DType::f64);
  CHECK_THROWS_WITH(itta_consistency_loss(z, z, randn({2, 3}, DType::f64),
                                          randn({3, 3}, DType::f64)),
                    Catch::Contains("[itta_consistency_loss]"));
  CHECK_THROWS_WITH(itta_consistency_loss(z, z, randn({2, 4}, DType::f64),
                                          randn({2, 4}, DType::f64)),
                    Catch::Contains("[itta_consistency_loss] features [..., 4]"));
  CHECK_THROWS_WITH(itta_grad_penalty({z}, {}), Catch::Contains("[itta_grad_penalty]"));

  CHECK_THROWS_WITH(loki_frechet_predict(rand({4, 3}, DType::f64), rand({5, 2}, DType::f64)),
                    Catch::Contains("[loki_frechet_predict] probs [4, 3] and sq_dist [5, 2]"));
  CHECK_THROWS_WITH(datamodel_matching_loss(z, randn({4, 2}, DType::f64)),
                    Catch::Contains("[datamodel_matching_loss]"));
  CHECK_THROWS_WITH(motion_video_consistency_loss(z, randn({3, 4}, DType::f64)),
                    Catch::Contains("[motion_video_consistency_loss]"));
}

TEST_CASE("nfe_score_loss on one hand-computed triple, every variant", "[unit][losses]") {
  // d = 1: head (mu 1, sigma 2), relation (mu 0.5, sigma -1): mu1 = -0.5, sigma1 = |-2| = 2.
  Tensor h = f64({1, 2}, {1, 2}), r = f64({0.5, -1}, {1, 2});
  Tensor e = f64({1.5, 2, 0, -1}, {2, 2});
  Tensor tail = from_vector(std::vector<int64_t>{0}, {1});
  // scores: 1 - (4 + 0) = -3 for the tail, 1 - (0.25 + 1) = -0.25 for the other entity.
  std::vector<double> s = nfe_scores(h, r, e).to_vector<double>();
  CHECK(s[0] == Approx(-3.0).epsilon(1e-14));
  CHECK(s[1] == Approx(-0.25).epsilon(1e-14));
  CHECK(nfe_score_loss(h, r, e, tail).item() ==
        Approx(softplus_d(3.0) + softplus_d(-0.25)).epsilon(1e-14));
  // nfe3 (the code's placement): s1 = sp(-1) sp(2), mu1 = -1 * 1 + 0.5 with the raw sigma_r.
  double s1 = softplus_d(-1) * softplus_d(2), mu1 = -0.5, s2 = softplus_d(2);
  double kl = s1 * s1 / (2 * s2 * s2) - std::log(s1) + std::log(s2) - 0.5 +
              (mu1 - 1.5) * (mu1 - 1.5) / (2 * s2 * s2);
  CHECK(nfe_scores(h, r, e, 2.0, "nfe3").to_vector<double>()[0] ==
        Approx(2.0 - kl).epsilon(1e-13));
  // nfe2: head (1, 2, 1), entity (1.5, 2, 0.5): s1 = 2, s2 = 1, s3 = 2, s4 = 0.5;
  // distance 4 + 0 / 2 + 0.25 / 2, cross term (-0.5 - 1.5) ((1 - 2) + (2 - 0.5)) = -1.
  Tensor h3 = f64({1, 2, 1}, {1, 3}), e3 = f64({1.5, 2, 0.5}, {1, 3});
  CHECK(nfe_scores(h3, r, e3, 1.0, "nfe2").item() ==
        Approx(1.0 - (4.125 - std::sqrt(2.0 / M_PI))).epsilon(1e-13));
}

TEST_CASE("depict targets follow the code and the paper, and the gradient is (p - q) / N",
          "[unit][losses]") {
  Tensor p = f64({0.5, 0.5, 1.0, 0.0}, {2, 2});
  // code: q ~ p^2 / f with f = [1.5, 0.5]: row 0 [1/6, 1/2] -> [0.25, 0.75]; row 1 [1, 0].
  std::vector<double> q = depict_target(p).to_vector<double>();
  std::vector<double> want = {0.25, 0.75, 1.0, 0.0};
  for (int i = 0; i < 4; ++i) CHECK(q[i] == Approx(want[i]).margin(1e-15));
  // paper: q ~ p / sqrt(f): row 0 [0.5 / sqrt(1.5), 0.5 / sqrt(0.5)] normalized.
  double a = 0.5 / std::sqrt(1.5), b = 0.5 / std::sqrt(0.5);
  std::vector<double> qp = depict_target(p, "paper").to_vector<double>();
  CHECK(qp[0] == Approx(a / (a + b)).epsilon(1e-14));
  CHECK(qp[1] == Approx(b / (a + b)).epsilon(1e-14));

  Tensor logits = f64({0.3, -0.2, 1.1, 0.4, 0.0, -0.7}, {2, 3});
  logits.requires_grad_(true);
  Tensor probs = softmax(logits.detach(), 1);
  // N = 1 (each row alone): the code's target is p itself, so the loss is the entropy.
  Tensor row = narrow(probs, 0, 0, 1);
  double entropy = 0;
  for (double v : row.to_vector<double>()) entropy -= v * std::log(v);
  CHECK(depict_cluster_loss(narrow(logits.detach(), 0, 0, 1), depict_target(row)).item() ==
        Approx(entropy).epsilon(1e-13));
  Tensor target = depict_target(probs);
  depict_cluster_loss(logits, target).backward();
  std::vector<double> g = logits.grad().to_vector<double>(), pv = probs.to_vector<double>(),
                      qv = target.to_vector<double>();
  for (int i = 0; i < 6; ++i) CHECK(g[i] == Approx((pv[i] - qv[i]) / 2).margin(1e-15));
}

TEST_CASE("itta consistency at the official init, and the meta penalty", "[unit][losses]") {
  Tensor zo = f64({0.5, -1, 2, 0, 1, 1}, {2, 3}), za = f64({1, -1, 1, 0.5, 0.5, 1}, {2, 3});
  // Official init (weights 1, biases 0): with one layer f_w is the identity: the plain MSE.
  Tensor w1 = full({1, 3}, 1.0, DType::f64), b1 = zeros({1, 3}, DType::f64);
  double mse = (0.25 + 0 + 1 + 0.25 + 0.25 + 0) / 6.0;
  CHECK(itta_consistency_loss(zo, za, w1, b1).item() == Approx(mse).epsilon(1e-15));
  // Three layers: the relus between them zero the negative differences (-1, -0.5 here).
  Tensor w3 = full({3, 3}, 1.0, DType::f64), b3 = zeros({3, 3}, DType::f64);
  CHECK(itta_consistency_loss(zo, za, w3, b3).item() ==
        Approx((0.25 + 0.25 + 0) / 6.0).epsilon(1e-15));

  Tensor g = f64({3, 4}, {2});
  CHECK(itta_grad_penalty({g}, {2.0 * g}).item() == Approx(0.0).margin(1e-16));
  // opposite directions: u1 - u2 = 2 u, mean((2 u)^2) = 4 / P with |u| = 1, P = 2.
  CHECK(itta_grad_penalty({g}, {-1.0 * g}).item() == Approx(0.1 * 4.0 / 2.0).epsilon(1e-14));
  // a zero gradient vector counts as zero, no NaN: mean(u^2) = 1 / P.
  CHECK(itta_grad_penalty({g}, {zeros({2}, DType::f64)}).item() ==
        Approx(0.1 * 0.5).epsilon(1e-14));
}

TEST_CASE("loki, datamodel matching and Hawk's consistency by hand", "[unit][losses]") {
  Tensor P = f64({0.2, 0.8, 1.0, 0.0}, {2, 2});
  Tensor D2 = f64({0, 4, 4, 0, 1, 1}, {3, 2});
  // objective rows: [3.2, 0.8, 1.0] and [0, 4, 1]: predictions 1 and 0.
  std::vector<double> obj = loki_frechet_objective(P, D2).to_vector<double>();
  std::vector<double> want = {3.2, 0.8, 1.0, 0, 4, 1};
  for (int i = 0; i < 6; ++i) CHECK(obj[i] == Approx(want[i]).margin(1e-15));
  std::vector<int64_t> pred = loki_frechet_predict(P, D2).to_vector<int64_t>();
  CHECK(pred == std::vector<int64_t>{1, 0});
  // ties: two equal rows of D2, the first index wins.
  Tensor D2tie = f64({1, 1, 1, 1, 2, 2}, {3, 2});
  CHECK(loki_frechet_predict(P, D2tie).to_vector<int64_t>() == std::vector<int64_t>{0, 0});

  Tensor f = f64({1, 2, 0, -1}, {2, 2}), o = f64({0, 2, 1, 1}, {2, 2});
  CHECK(datamodel_matching_loss(f, o).item() == Approx((1.0 + 5.0) / 2).epsilon(1e-15));
  DatamodelMatchingLossOptions none;
  none.reduction = "none";
  CHECK(datamodel_matching_loss(f, o, none).to_vector<double>() == std::vector<double>{1, 5});

  Tensor mv = randn({2, 3, 4}, DType::f64);
  CHECK(motion_video_consistency_loss(mv, 2.0 * mv).item() == Approx(0.0).margin(1e-14));
  CHECK(motion_video_consistency_loss(mv, -1.0 * mv).item() == Approx(2.0).epsilon(1e-14));
  // One cosine over the whole batch, not a mean of per-sample cosines.
  Tensor a = f64({1, 0, 0, 1}, {2, 2}), b = f64({1, 0, 1, 1}, {2, 2});
  CHECK(motion_video_consistency_loss(a, b).item() ==
        Approx(1.0 - 2.0 / (std::sqrt(2.0) * std::sqrt(3.0))).epsilon(1e-14));
  Tensor total = hawk_total_loss(scalar(2.0, DType::f64), scalar(3.0, DType::f64), a, b);
  CHECK(total.item() ==
        Approx(2.0 + 0.3 + 0.1 * (1.0 - 2.0 / std::sqrt(6.0))).epsilon(1e-14));
}
