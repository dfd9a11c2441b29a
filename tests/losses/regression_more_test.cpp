// masked_mae_loss, pseudo_huber_loss, cauchy_loss, giou_loss, mae_norm_pix_loss: bad input names
// the op; hand-computed values and the edge cases the runners cannot take (NaN, all missing).
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"

using namespace lathe;

namespace {
Tensor vec(std::vector<double> v, Shape s) { return from_vector(v, s); }
}  // namespace

TEST_CASE("masked_mae_loss rejects bad input, naming the op", "[unit][losses][errors]") {
  CHECK_THROWS_WITH(masked_mae_loss(zeros({2, 3}), zeros({3, 2})),
                    Catch::Contains("[masked_mae_loss]"));
  CHECK_THROWS_WITH(masked_mae_loss(zeros({2}), zeros({2}, DType::i64)),
                    Catch::Contains("[masked_mae_loss] target"));
  MaskedMaeLossOptions bad;
  bad.reduction = "avg";
  CHECK_THROWS_WITH(masked_mae_loss(zeros({2}), zeros({2}), bad),
                    Catch::Contains("[masked_mae_loss] reduction"));
}

TEST_CASE("masked_mae_loss: by hand, all missing, a NaN target", "[unit][losses]") {
  // m = (0, 1, 0, 1) / 0.5 = (0, 2, 0, 2); l = (0, 2, 0, 4); mean 1.5
  Tensor x = vec({1, 2, 3, 4}, {4}).requires_grad_();
  Tensor loss = masked_mae_loss(x, vec({0, 1, 0, 2}, {4}));
  CHECK(loss.item() == Approx(1.5).epsilon(1e-15));
  loss.backward();
  CHECK(x.grad().to_vector<double>() == std::vector<double>{0, 0.5, 0, 0.5});
  // every target missing: mean(m) = 0, the value 0 and the gradient NaN (the reference's)
  Tensor x0 = vec({1, -2}, {2}).requires_grad_();
  Tensor l0 = masked_mae_loss(x0, zeros({2}, DType::f64));
  CHECK(l0.item() == 0.0);
  l0.backward();
  for (double g : x0.grad().to_vector<double>()) CHECK(std::isnan(g));
  // a NaN target: value 0 at that entry, the others weighted by 1/mean(m) = 1
  Tensor x1 = vec({1, 5}, {2}).requires_grad_();
  Tensor l1 = masked_mae_loss(x1, vec({std::nan(""), 2}, {2}), {"sum"});
  CHECK(l1.item() == Approx(3.0).epsilon(1e-15));
  l1.backward();
  CHECK(x1.grad().to_vector<double>()[1] == 1.0);
}

TEST_CASE("pseudo_huber_loss and cauchy_loss: errors and values by hand", "[unit][losses]") {
  PseudoHuberLossOptions neg;
  neg.c = -1;
  CHECK_THROWS_WITH(pseudo_huber_loss(zeros({2, 2}), zeros({2, 2}), neg),
                    Catch::Contains("[pseudo_huber_loss] c must be >= 0"));
  CHECK_THROWS_WITH(pseudo_huber_loss(zeros({2, 2}), zeros({2, 3})),
                    Catch::Contains("[pseudo_huber_loss]"));
  CHECK_THROWS_WITH(cauchy_loss(zeros({2, 2}), zeros({2, 2})),
                    Catch::Contains("[cauchy_loss] c is required"));
  CauchyLossOptions zero;
  zero.c = 0;
  CHECK_THROWS_WITH(cauchy_loss(zeros({2, 2}), zeros({2, 2}), zero),
                    Catch::Contains("[cauchy_loss] c must be > 0"));
  // (3, 4) against 0: ||.|| = 5; c = 0 gives the L2 norm, c = 1 sqrt(26) - 1
  Tensor x = vec({3, 4}, {1, 2});
  Tensor y = zeros({1, 2}, DType::f64);
  PseudoHuberLossOptions c0, c1;
  c0.c = 0;
  c1.c = 1;
  CHECK(pseudo_huber_loss(x, y, c0).item() == Approx(5.0).epsilon(1e-15));
  CHECK(pseudo_huber_loss(x, y, c1).item() == Approx(std::sqrt(26.0) - 1).epsilon(1e-15));
  // the default c: 0.00054 sqrt(3 * 32 * 32) = 0.02993 for CIFAR-sized samples
  Tensor img = zeros({1, 3, 32, 32}, DType::f64);
  double c = 0.00054 * std::sqrt(3072.0);
  Tensor one = full({1, 3, 32, 32}, 1.0, DType::f64);
  CHECK(pseudo_huber_loss(one, img).item() ==
        Approx(std::sqrt(3072.0 + c * c) - c).epsilon(1e-14));
  CauchyLossOptions c1c;
  c1c.c = 1;
  CHECK(cauchy_loss(vec({2}, {1, 1}), zeros({1, 1}, DType::f64), c1c).item() ==
        Approx(std::log(3.0)).epsilon(1e-15));
}

TEST_CASE("giou_loss: errors, a pair by hand, identical boxes give 0", "[unit][losses]") {
  CHECK_THROWS_WITH(giou_loss(zeros({2, 3}), zeros({2, 3})),
                    Catch::Contains("[giou_loss] input must be boxes [N, 4]"));
  GiouLossOptions nb;
  nb.num_boxes = -1;
  CHECK_THROWS_WITH(giou_loss(zeros({1, 4}), zeros({1, 4}), nb),
                    Catch::Contains("[giou_loss] num_boxes"));
  // [0,1]^2 against [0.5,1.5]x[0,1]: I = 0.5, U = 1.5, hull 1.5: GIoU = 1/3, loss 2/3
  Tensor p = vec({0.5, 0.5, 1, 1}, {1, 4});
  Tensor g = vec({1, 0.5, 1, 1}, {1, 4});
  CHECK(giou_loss(p, g).item() == Approx(2.0 / 3.0).epsilon(1e-15));
  // disjoint [0,1]^2 and [2,3]x[0,1]: IoU 0, hull 3, U 2: GIoU = -1/3, loss 4/3; num_boxes 2
  nb.num_boxes = 2;
  CHECK(giou_loss(p, vec({2.5, 0.5, 1, 1}, {1, 4}), nb).item() ==
        Approx(2.0 / 3.0).epsilon(1e-15));
  Tensor q = vec({0.3, 0.6, 0.1, 0.4, 0.5, 0.5, 0.2, 0.3}, {2, 4}).requires_grad_();
  Tensor same = giou_loss(q, q.detach(), {0.0, "sum"});
  CHECK(same.item() == 0.0);
  same.backward();
  for (double v : q.grad().to_vector<double>()) CHECK(v == 0.0);
}

TEST_CASE("mae_norm_pix_loss: errors, bool and float masks agree", "[unit][losses]") {
  Tensor p = randn({2, 3, 4}, DType::f64), t = randn({2, 3, 4}, DType::f64);
  Tensor mb = from_vector(std::vector<double>{1, 0, 1, 0, 0, 1}, {2, 3});
  CHECK_THROWS_WITH(mae_norm_pix_loss(p, t, zeros({3, 2}, DType::f64)),
                    Catch::Contains("[mae_norm_pix_loss] mask must have shape"));
  CHECK_THROWS_WITH(mae_norm_pix_loss(p, t, zeros({2, 3}, DType::i64)),
                    Catch::Contains("[mae_norm_pix_loss] mask must be bool"));
  CHECK_THROWS_WITH(mae_norm_pix_loss(zeros({2, 3, 1}), zeros({2, 3, 1}), zeros({2, 3})),
                    Catch::Contains("[mae_norm_pix_loss] norm_pix needs D >= 2"));
  CHECK_THROWS_WITH(mae_norm_pix_loss(zeros({2, 3}), zeros({2, 3}), zeros({2})),
                    Catch::Contains("[mae_norm_pix_loss] input"));
  MaeNormPixLossResult a = mae_norm_pix_loss(p, t, mb);
  MaeNormPixLossResult b = mae_norm_pix_loss(p, t, ne(mb, 0.0));
  CHECK(a.loss.item() == b.loss.item());
  // the loss is the mean of the matrix over the masked patches 0, 2 (row 0) and 5 (row 1)
  std::vector<double> m = a.matrix.to_vector<double>();
  CHECK(a.loss.item() == Approx((m[0] + m[2] + m[5]) / 3).epsilon(1e-14));
  // norm_pix false, one patch by hand: P = 0, T = (1, 2): mean (1 + 4)/2 = 2.5
  Tensor one = from_vector(std::vector<double>{1, 2}, {1, 1, 2});
  CHECK(mae_norm_pix_loss(zeros({1, 1, 2}, DType::f64), one, ones({1, 1}, DType::f64), {false})
            .loss.item() == Approx(2.5).epsilon(1e-15));
}

TEST_CASE("aggregate losses: errors, the equal-bag identity, the readings", "[unit][losses]") {
  Tensor f = from_vector(std::vector<double>{1, 2, 3, 5}, {4});
  Tensor ids = from_vector(std::vector<int64_t>{0, 0, 1, 1}, {4});
  Tensor y = from_vector(std::vector<double>{1, 3}, {2});
  CHECK_THROWS_WITH(aggregate_bag_loss(f, cast(ids, DType::f64), y),
                    Catch::Contains("[aggregate_bag_loss] bag_ids must be integers"));
  CHECK_THROWS_WITH(aggregate_bag_loss(f, from_vector(std::vector<int64_t>{0, 0, 2, 2}, {4}),
                                       from_vector(std::vector<double>{1, 2, 3}, {3})),
                    Catch::Contains("[aggregate_bag_loss] bag 1 has no instance"));
  CHECK_THROWS_WITH(aggregate_instance_loss(f, from_vector(std::vector<int64_t>{0, 0, 1, 5}, {4}),
                                            y),
                    Catch::Contains("[aggregate_instance_loss] bag id 5 out of range"));
  CHECK_THROWS_WITH(aggregate_interp_loss(f, ids, y),
                    Catch::Contains("[aggregate_interp_loss] rho is required"));
  AggregateInterpLossOptions o;
  o.rho = 0.5;
  o.variant = "other";
  CHECK_THROWS_WITH(aggregate_interp_loss(f, ids, y, o),
                    Catch::Contains("[aggregate_interp_loss] variant"));
  // bag means (1.5, 4): L_bag = (0.25 + 1) / 2; L_inst = (0 + 1 + 0 + 4) / 4;
  // within-bag variance (0.25 + 0.25 + 1 + 1) / 4 = 0.625 = L_inst - L_bag
  double bag = aggregate_bag_loss(f, ids, y).item();
  double inst = aggregate_instance_loss(f, ids, y).item();
  CHECK(bag == Approx(0.625).epsilon(1e-15));
  CHECK(inst == Approx(1.25).epsilon(1e-15));
  o.variant = "convex";
  o.rho = 0.3;
  double convex = aggregate_interp_loss(f, ids, y, o).item();
  o.variant = "regularized";
  CHECK(aggregate_interp_loss(f, ids, y, o).item() == Approx(convex).epsilon(1e-14));
  CHECK(convex == Approx(0.3 * inst + 0.7 * bag).epsilon(1e-14));
}

TEST_CASE("uao, joint_sample, binary_kl_regression, tals, sparse objectives: errors",
          "[unit][losses][errors]") {
  CHECK_THROWS_WITH(uao_uncertainty_loss(zeros({2, 3}), zeros({2, 3}), zeros({2, 3})),
                    Catch::Contains("[uao_uncertainty_loss] log_sigma must be"));
  CHECK_THROWS_WITH(uao_uncertainty_loss(zeros({2, 2}), zeros({2, 2}), zeros({2, 1})),
                    Catch::Contains("[uao_uncertainty_loss] input must be joints"));
  CHECK_THROWS_WITH(joint_sample_loss(zeros({2, 3, 4, 2}), zeros({2, 4, 2}), zeros({2, 3})),
                    Catch::Contains("[joint_sample_loss] mask"));
  CHECK_THROWS_WITH(joint_sample_loss(zeros({2, 3, 4, 2}), zeros({2, 5, 2}), zeros({2, 4})),
                    Catch::Contains("[joint_sample_loss] input must be"));
  BinaryKlRegressionLossOptions v;
  v.variant = "abs";
  CHECK_THROWS_WITH(binary_kl_regression_loss(zeros({2}), zeros({2}), zeros({2}), v),
                    Catch::Contains("[binary_kl_regression_loss] variant"));
  CHECK_THROWS_WITH(tals_loss(zeros({1, 3, 2}), zeros({1, 3, 2}), zeros({1, 3}), zeros({2})),
                    Catch::Contains("[tals_loss] thresh"));
  CHECK_THROWS_WITH(lasso_objective_loss(zeros({2, 3}), zeros({2, 4}), zeros({4, 3})),
                    Catch::Contains("[lasso_objective_loss] lam is required"));
  SparseObjectiveLossOptions s;
  s.lam = 0.1;
  CHECK_THROWS_WITH(l0_objective_loss(zeros({2, 3}), zeros({2, 4}), zeros({4, 2}), s),
                    Catch::Contains("[l0_objective_loss] matrix"));
}

TEST_CASE("uao, joint_sample, binary_kl_regression, tals, sparse objectives: by hand",
          "[unit][losses]") {
  // uao: |(3, 4, 0)| = 5, s = 0: 5; a joint on its target with s = 1: 1, gradient 0 there
  Tensor mu = from_vector(std::vector<double>{3, 4, 0, 1, 1, 1}, {2, 3}).requires_grad_();
  Tensor tg = from_vector(std::vector<double>{0, 0, 0, 1, 1, 1}, {2, 3});
  Tensor ls = from_vector(std::vector<double>{0, 1}, {2, 1});
  Tensor u = uao_uncertainty_loss(mu, tg, ls, {"sum"});
  CHECK(u.item() == Approx(6.0).epsilon(1e-15));
  u.backward();
  std::vector<double> g = mu.grad().to_vector<double>();
  CHECK(g[0] == Approx(0.6).epsilon(1e-15));
  CHECK(g[3] == 0.0);
  // joint vs marginal: agent 0 best at sample 0, agent 1 at sample 1 (T = 1)
  Tensor pred = from_vector(std::vector<double>{0, 0, 3, 0, 2, 0, 0, 0}, {2, 2, 1, 2});
  Tensor gt = zeros({2, 1, 2}, DType::f64);
  Tensor mask = ones({2, 1}, DType::f64);
  CHECK(joint_sample_loss(pred, gt, mask).item() == Approx(2.0).epsilon(1e-15));
  CHECK(joint_sample_loss(pred, gt, mask, {false}).item() == 0.0);
  // binary KL: r = 0.5, f + xi = 0: p = r, loss 0
  CHECK(binary_kl_regression_loss(zeros({1}, DType::f64), full({1}, 0.5, DType::f64),
                                  zeros({1}, DType::f64)).item() == Approx(0.0).margin(1e-15));
  // tals: error 0.1 on x with c 1: e = 0.01 vs thresholds 0.02 (inside: w) and 0.005 (outside)
  Tensor kp = from_vector(std::vector<double>{0.1, 0, 0.1, 0}, {1, 2, 2});
  Tensor t = tals_loss(kp, zeros({1, 2, 2}, DType::f64), ones({1, 2}, DType::f64),
                       from_vector(std::vector<double>{0.02, 0.005}, {2}));
  CHECK(t.item() == Approx(0.05 * 0.1 + 0.1).epsilon(1e-14));
  // sparse objectives: A = I, y = 0, x = (1, 0, -2): 0.5 * 5 + lam (3 | 2)
  Tensor x = from_vector(std::vector<double>{1, 0, -2}, {1, 3});
  Tensor eye = from_vector(std::vector<double>{1, 0, 0, 0, 1, 0, 0, 0, 1}, {3, 3});
  SparseObjectiveLossOptions s;
  s.lam = 0.5;
  CHECK(lasso_objective_loss(x, zeros({1, 3}, DType::f64), eye, s).item() ==
        Approx(2.5 + 1.5).epsilon(1e-15));
  CHECK(l0_objective_loss(x, zeros({1, 3}, DType::f64), eye, s).item() ==
        Approx(2.5 + 1.0).epsilon(1e-15));
}

TEST_CASE("running_sum_probe_loss: errors, the targets of 23 x 14, a probe by hand",
          "[unit][losses]") {
  CHECK_THROWS_WITH(running_sum_probe_loss(zeros({1, 2, 3, 4}), zeros({3, 5}), zeros({1, 2})),
                    Catch::Contains("[running_sum_probe_loss] weight must have shape"));
  CHECK_THROWS_WITH(running_sum_probe_loss(zeros({1, 2, 3, 4}), zeros({3, 4}), zeros({2, 1})),
                    Catch::Contains("[running_sum_probe_loss] target must have shape"));
  // 23 x 14 = 322: s = (3 4, 3 1 + 2 4, 2 1, 0) = (12, 11, 2, 0), plus the carries floor(c / 10)
  CHECK(running_sum_targets({3, 2}, {4, 1}) == std::vector<int64_t>{12, 12, 3, 0});
  CHECK(running_sum_targets({9}, {9}) == std::vector<int64_t>{81, 8});
  // one head: <(1, 2), (3, 4)> = 11 against 10: (11 - 10)^2 = 1
  Tensor h = from_vector(std::vector<double>{3, 4}, {1, 1, 1, 2});
  Tensor w = from_vector(std::vector<double>{1, 2}, {1, 2});
  CHECK(running_sum_probe_loss(h, w, full({1, 1}, 10.0, DType::f64)).item() == 1.0);
}

TEST_CASE("temporal_smoothness_loss and cox_ph_loss: errors and values by hand",
          "[unit][losses]") {
  CHECK_THROWS_WITH(temporal_smoothness_loss(zeros({2, 3}), zeros({2, 3})),
                    Catch::Contains("[temporal_smoothness_loss] input"));
  CHECK_THROWS_WITH(temporal_smoothness_loss(zeros({1, 3, 2}), zeros({1, 3, 2}), zeros({3})),
                    Catch::Contains("[temporal_smoothness_loss] mask"));
  // y^ = (0, 1, 3), y = 0, D = 1: first 0, velocities 1 and 2: (1 + 4) / 3
  Tensor p = from_vector(std::vector<double>{0, 1, 3}, {1, 3, 1});
  CHECK(temporal_smoothness_loss(p, zeros({1, 3, 1}, DType::f64)).item() ==
        Approx(5.0 / 3).epsilon(1e-15));
  Tensor m = from_vector(std::vector<double>{1, 1, 0}, {1, 3});
  CHECK(temporal_smoothness_loss(p, zeros({1, 3, 1}, DType::f64), m).item() ==
        Approx(0.5).epsilon(1e-15));
  CHECK(temporal_smoothness_loss(p, zeros({1, 3, 1}, DType::f64), zeros({1, 3}, DType::f64))
            .item() == 0.0);
  CoxPhLossOptions bad;
  bad.reduction = "mean";
  Tensor r = from_vector(std::vector<double>{0.5, -0.2, 1.0}, {3});
  Tensor t = from_vector(std::vector<double>{2, 1, 2}, {3});
  Tensor e = from_vector(std::vector<int64_t>{1, 1, 0}, {3});
  CHECK_THROWS_WITH(cox_ph_loss(r, t, e, bad), Catch::Contains("[cox_ph_loss] reduction"));
  // Breslow: sample 0 (t 2) risks {0, 2}; sample 1 (t 1) risks all three
  double l0 = 0.5 - std::log(std::exp(0.5) + std::exp(1.0));
  double l1 = -0.2 - std::log(std::exp(0.5) + std::exp(-0.2) + std::exp(1.0));
  CHECK(cox_ph_loss(r, t, e).item() == Approx(-(l0 + l1) / 3).epsilon(1e-14));
  CHECK(cox_ph_loss(r, t, zeros({3}, DType::i64)).item() == 0.0);
}
