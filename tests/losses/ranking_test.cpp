// bpr_loss, hpm_relative_loss, mw_auc_loss, soft_topk and soft_topk_loss: bad input names the
// op; values by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"

using namespace lathe;

TEST_CASE("bpr_loss rejects bad input, naming the op", "[unit][losses][errors]") {
  CHECK_THROWS_WITH(bpr_loss(zeros({3}), zeros({4})), Catch::Contains("[bpr_loss]"));
  CHECK_THROWS_WITH(bpr_loss(zeros({3}, DType::i64), zeros({3})),
                    Catch::Contains("[bpr_loss] pos"));
  CHECK_THROWS_WITH(bpr_loss(zeros({3}), zeros({3}), {"avg"}),
                    Catch::Contains("[bpr_loss] reduction"));
}

TEST_CASE("bpr_loss: values by hand, a large gap stays finite", "[unit][losses]") {
  Tensor pos = from_vector(std::vector<double>{1, 0}, {2}).requires_grad_();
  Tensor neg = from_vector(std::vector<double>{0, 0}, {2});
  Tensor l = bpr_loss(pos, neg);
  // (log(1 + e^-1) + log 2) / 2
  CHECK(l.item() == Approx((std::log1p(std::exp(-1.0)) + std::log(2.0)) / 2).epsilon(1e-15));
  l.backward();
  // -sigmoid(-(s+ - s-)) / n
  CHECK(pos.grad().to_vector<double>()[0] ==
        Approx(-0.5 / (1 + std::exp(1.0))).epsilon(1e-14));
  CHECK(bpr_loss(from_vector(std::vector<double>{-1e4}, {1}),
                 from_vector(std::vector<double>{1e4}, {1})).item() == Approx(2e4));
}

TEST_CASE("hpm_relative_loss and mw_auc_loss: errors, values by hand, empty sets",
          "[unit][losses]") {
  CHECK_THROWS_WITH(hpm_relative_loss(zeros({2, 3}), zeros({2, 4})),
                    Catch::Contains("[hpm_relative_loss]"));
  CHECK_THROWS_WITH(hpm_relative_loss(zeros({6}), zeros({6})),
                    Catch::Contains("[hpm_relative_loss] input"));
  Tensor s = zeros({2, 3});
  CHECK_THROWS_WITH(mw_auc_loss(s, zeros({2, 3})),
                    Catch::Contains("[mw_auc_loss] pos_mask must be bool"));
  CHECK_THROWS_WITH(mw_auc_loss(s, gt(s, 0.0), {0.0, "paper"}),
                    Catch::Contains("[mw_auc_loss] tau"));
  CHECK_THROWS_WITH(mw_auc_loss(s, gt(s, 0.0), {0.1, "sum"}),
                    Catch::Contains("[mw_auc_loss] reduction"));
  // hpm: p = (0, 1), t = (0.2, 0.7): pair (0,1) pos, D = 1; pair (1,0) neg, D = -1
  Tensor p = from_vector(std::vector<double>{0, 1}, {1, 2}).requires_grad_();
  Tensor t = from_vector(std::vector<double>{0.2, 0.7}, {1, 2});
  double sg = 1 / (1 + std::exp(-1.0));
  double want = (-std::log(sg + 1e-6) - std::log(1 - (1 - sg) + 1e-6)) / 2;
  CHECK(hpm_relative_loss(p, t).item() == Approx(want).epsilon(1e-14));
  // every target tied: 0 with zero gradients (the reference's 0/0)
  Tensor tied = hpm_relative_loss(p, full({1, 2}, 0.5, DType::f64));
  CHECK(tied.item() == 0.0);
  tied.backward();
  for (double g : p.grad().to_vector<double>()) CHECK(g == 0.0);
  // mw: one positive 1.0 against negatives 0 and 2, tau 1: (softplus(-1) + softplus(1)) / 1
  Tensor sc = from_vector(std::vector<double>{1, 0, 2}, {1, 3});
  Tensor pm = from_vector(std::vector<double>{1, 0, 0}, {1, 3});
  double sp1 = std::log1p(std::exp(-1.0)), sp2 = std::log1p(std::exp(1.0));
  CHECK(mw_auc_loss(sc, gt(pm, 0.0), {1.0, "paper"}).item() ==
        Approx(sp1 + sp2).epsilon(1e-14));
  CHECK(mw_auc_loss(sc, gt(pm, 0.0), {1.0, "mean"}).item() ==
        Approx((sp1 + sp2) / 2).epsilon(1e-14));
  // no negative: 0
  CHECK(mw_auc_loss(sc, ge(sc, 0.0), {1.0, "mean"}).item() == 0.0);
}

TEST_CASE("soft_topk and soft_topk_loss: rows sum to k, errors, the loss by hand",
          "[unit][losses]") {
  Tensor x = 3.0 * randn({2, 7}, DType::f64);
  Tensor p = soft_topk(x, 2.5, 2.0, 64);
  for (double s : sum(p, {1}).to_vector<double>()) CHECK(s == Approx(2.5).epsilon(1e-12));
  CHECK_THROWS_WITH(soft_topk(x, 7.0), Catch::Contains("[soft_topk] k must be in (0, L = 7)"));
  CHECK_THROWS_WITH(soft_topk(x, 2.0, 0.0), Catch::Contains("[soft_topk] alpha"));
  CHECK_THROWS_WITH(soft_topk_loss(x, gt(x, 0.0).to(DType::f64)),
                    Catch::Contains("[soft_topk_loss] pos_mask must be bool"));
  // the loss is -mean log membership of the positives; a row without positives gives 0
  Tensor mask = from_vector(std::vector<double>{1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                            {2, 7});
  SoftTopkLossOptions o;
  o.k = 2.5;
  o.n_iter = 64;
  o.reduction = "none";
  std::vector<double> rows = soft_topk_loss(x, gt(mask, 0.0), o).to_vector<double>();
  std::vector<double> pv = p.to_vector<double>();
  CHECK(rows[0] == Approx(-(std::log(pv[0]) + std::log(pv[3])) / 2).epsilon(1e-12));
  CHECK(rows[1] == 0.0);
}
