// kl_divergence, prediction_entropy, attention_entropy, switch_load_balance_loss: bad input
// names the op; values by hand (identical distributions, uniform rows, saturated logits).
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"
#include "losses/divergence/divergence.h"
#include "losses/entropy/entropy.h"
#include "losses/regularizer/regularizer.h"

using namespace lathe;

namespace {
Tensor f64(std::vector<double> v, Shape s) { return from_vector(v, s); }
}  // namespace

TEST_CASE("kl_divergence rejects bad input, naming the op", "[unit][losses][errors]") {
  Tensor x = zeros({2, 3}, DType::f64);
  CHECK_THROWS_WITH(kl_divergence(x, zeros({2, 4}, DType::f64)),
                    Catch::StartsWith("[kl_divergence]"));
  CHECK_THROWS_WITH(kl_divergence(x, x, {"avg"}),
                    Catch::StartsWith("[kl_divergence]") && Catch::Contains("reduction"));
  CHECK_THROWS_WITH(kl_divergence(cast(x, DType::i64), x), Catch::StartsWith("[kl_divergence]"));
}

TEST_CASE("kl_divergence by hand: batchmean, symmetric, zeros, identical is exactly 0",
          "[unit][losses]") {
  Tensor p = f64({0.5, 0.5, 0.0, 1.0}, {2, 2});
  Tensor log_q = log(f64({0.25, 0.75, 0.5, 0.5}, {2, 2}));
  double kl0 = 0.5 * std::log(4.0 / 3.0), kl1 = std::log(2.0);
  CHECK(kl_divergence(log_q, p).item() == Approx((kl0 + kl1) / 2).epsilon(1e-14));
  CHECK(kl_divergence(log_q, p, {"sum"}).item() == Approx(kl0 + kl1).epsilon(1e-14));
  CHECK(kl_divergence(log_q, p, {"mean"}).item() == Approx((kl0 + kl1) / 4).epsilon(1e-14));
  // symmetric on the first row only (p > 0): KL(q || p) = 0.25 ln 0.5 + 0.75 ln 1.5
  Tensor p0 = slice(p, 0, 0, 1), q0 = slice(log_q, 0, 0, 1);
  double rev = 0.25 * std::log(0.5) + 0.75 * std::log(1.5);
  CHECK(kl_divergence(q0, p0, {"batchmean", false, true}).item() ==
        Approx(kl0 + rev).epsilon(1e-14));
  // the same distribution given as log p on both sides: exactly 0, symmetric too
  Tensor lp = log(f64({0.2, 0.3, 0.5}, {1, 3}));
  CHECK(kl_divergence(lp, lp, {"sum", true}).item() == 0.0);
  CHECK(kl_divergence(lp, lp, {"sum", true, true}).item() == Approx(0.0).margin(1e-16));
  CHECK(kl_divergence(lp, exp(lp), {"sum"}).item() == Approx(0.0).margin(1e-16));
}

TEST_CASE("prediction_entropy and attention_entropy reject bad input, naming the op",
          "[unit][losses][errors]") {
  CHECK_THROWS_WITH(prediction_entropy(zeros({4}, DType::f64)),
                    Catch::StartsWith("[prediction_entropy] input must be logits [B, C, ...]"));
  CHECK_THROWS_WITH(prediction_entropy(zeros({4, 1}, DType::f64), {true}),
                    Catch::StartsWith("[prediction_entropy] normalized needs C > 1"));
  CHECK_THROWS_WITH(prediction_entropy(zeros({4, 2}, DType::f64), {false, "avg"}),
                    Catch::StartsWith("[prediction_entropy]"));
  CHECK_THROWS_WITH(attention_entropy(zeros({2, 3}, DType::f64), {-1.0}),
                    Catch::StartsWith("[attention_entropy] delta must be >= 0"));
  CHECK_THROWS_WITH(attention_entropy(zeros({2, 3}, DType::i64)),
                    Catch::StartsWith("[attention_entropy]"));
}

TEST_CASE("prediction_entropy by hand: uniform log C, per pixel on dim 1, saturated 0",
          "[unit][losses]") {
  Tensor flat = zeros({2, 3, 4, 5}, DType::f64);
  Tensor h = prediction_entropy(flat);
  CHECK(h.shape() == Shape{2, 4, 5});  // over dim 1, never the last axis
  for (double v : h.to_vector<double>()) CHECK(v == Approx(std::log(3.0)).epsilon(1e-14));
  CHECK(prediction_entropy(flat, {true, "mean"}).item() == Approx(1.0).epsilon(1e-14));
  CHECK(prediction_entropy(zeros({3, 1}, DType::f64), {false, "sum"}).item() == 0.0);
  Tensor z = f64({1e4, 0.0, -1e4, 0.0, 0.0, 0.0}, {2, 3}).requires_grad_();
  Tensor hs = prediction_entropy(z);
  CHECK(hs.to_vector<double>()[0] == Approx(0.0).margin(1e-300));
  sum(hs).backward();
  for (double g : z.grad().to_vector<double>()) CHECK(std::isfinite(g));
  // all-equal logits: entropy at its maximum, zero gradient
  CHECK(z.grad().to_vector<double>()[4] == Approx(0.0).margin(1e-15));
  // a two-class row (0, log 3): p = (1/4, 3/4)
  double want = -(0.25 * std::log(0.25) + 0.75 * std::log(0.75));
  CHECK(prediction_entropy(f64({0.0, std::log(3.0)}, {1, 2})).item() ==
        Approx(want).epsilon(1e-14));
}

TEST_CASE("attention_entropy by hand: uniform rows log Lk, masked zeros, one-hot 0",
          "[unit][losses]") {
  Tensor a = f64({0.25, 0.25, 0.25, 0.25, 0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 1.0, 0.0}, {3, 4});
  std::vector<double> e = attention_entropy(a).to_vector<double>();
  CHECK(e[0] == Approx(std::log(4.0)).epsilon(1e-8));
  CHECK(e[1] == Approx(std::log(2.0)).epsilon(1e-8));
  CHECK(e[2] == Approx(0.0).margin(1e-8));
  Tensor leaf = a.detach().requires_grad_();
  attention_entropy(leaf, {1e-9, "sum"}).backward();
  for (double g : leaf.grad().to_vector<double>()) CHECK(std::isfinite(g));
  CHECK(attention_entropy(a, {1e-9, "mean"}).item() ==
        Approx((std::log(4.0) + std::log(2.0)) / 3).epsilon(1e-8));
}

TEST_CASE("switch_load_balance_loss rejects bad input, naming the op",
          "[unit][losses][errors]") {
  Tensor r = zeros({4, 3}, DType::f64);
  SwitchLoadBalanceLossOptions o;
  o.k = 4;
  CHECK_THROWS_WITH(switch_load_balance_loss(r, o),
                    Catch::StartsWith("[switch_load_balance_loss] k must be in [1, E = 3]"));
  o.k = 0;
  CHECK_THROWS_WITH(switch_load_balance_loss(r, o),
                    Catch::StartsWith("[switch_load_balance_loss] k must"));
  o.k = 1;
  o.mask = zeros({4}, DType::f64);
  CHECK_THROWS_WITH(switch_load_balance_loss(r, o),
                    Catch::StartsWith("[switch_load_balance_loss] mask must be bool [4]"));
  CHECK_THROWS_WITH(switch_load_balance_loss(zeros({2, 2, 3}, DType::f64)),
                    Catch::StartsWith("[switch_load_balance_loss] router_logits"));
}

TEST_CASE("switch_load_balance_loss by hand: balanced 1 coef, k = E, empty mask 0, gradient",
          "[unit][losses]") {
  SwitchLoadBalanceLossOptions o;
  o.k = 1;
  o.coef = 1.0;
  // two tokens, each sure of a different expert: f = Pbar = (1/2, 1/2), L = E sum f Pbar = 1
  Tensor r = f64({2.0, 0.0, 0.0, 2.0}, {2, 2});
  CHECK(switch_load_balance_loss(r, o).item() == Approx(1.0).epsilon(1e-14));
  // both on expert 0: f = (1, 0), Pbar_0 = sigmoid(2), L = 2 sigmoid(2)
  Tensor r2 = f64({2.0, 0.0, 2.0, 0.0}, {2, 2});
  CHECK(switch_load_balance_loss(r2, o).item() ==
        Approx(2.0 / (1.0 + std::exp(-2.0))).epsilon(1e-14));
  // k = E counts every expert once per token: L = coef E whatever the logits
  SwitchLoadBalanceLossOptions all;
  all.k = 3;
  Tensor r3 = randn({5, 3}, DType::f64);
  CHECK(switch_load_balance_loss(r3, all).item() == Approx(0.003).epsilon(1e-13));
  // the mask keeps token 0 only: that token decides alone
  o.mask = from_vector(std::vector<bool>{true, false}, {2});
  CHECK(switch_load_balance_loss(r, o).item() ==
        Approx(2.0 / (1.0 + std::exp(-2.0))).epsilon(1e-14));
  o.mask = from_vector(std::vector<bool>{false, false}, {2});
  CHECK(switch_load_balance_loss(r, o).item() == 0.0);
  // gradient: coef (E / N) sum_e' F_e' P_te' (delta_ee' - P_te); with r2 F = (1, 0)
  Tensor leaf = r2.detach().requires_grad_();
  o.mask = Tensor();
  switch_load_balance_loss(leaf, o).backward();
  double p0 = 1.0 / (1.0 + std::exp(-2.0));
  double g0 = (2.0 / 2.0) * 1.0 * p0 * (1 - p0);  // e = 0: F_0 P_0 (1 - P_0)
  std::vector<double> g = leaf.grad().to_vector<double>();
  CHECK(g[0] == Approx(g0).epsilon(1e-13));
  CHECK(g[1] == Approx(-g0).epsilon(1e-13));
}

TEST_CASE("wdr_loss: errors, and a uniform-like layer with no skew scores ~0",
          "[unit][losses]") {
  CHECK_THROWS_WITH(wdr_loss({}), Catch::StartsWith("[wdr_loss] needs at least one weight"));
  CHECK_THROWS_WITH(wdr_loss({zeros({1}, DType::f64)}),
                    Catch::StartsWith("[wdr_loss] weight 0 needs > 1 element"));
  // a symmetric two-point layer {-1, 1} x n: zhat = +-sqrt((2n - 1) / (2n)), skew 0,
  // kurt = ((2n - 1) / (2n))^2
  int n = 50;
  std::vector<double> v;
  for (int i = 0; i < n; ++i) {
    v.push_back(-1.0);
    v.push_back(1.0);
  }
  double s = (2.0 * n - 1) / (2.0 * n), kurt = s * s;
  WdrLossOptions o;
  CHECK(wdr_loss({f64(v, {2 * n})}, o).item() ==
        Approx(0.015 * (kurt - 1.8) * (kurt - 1.8)).epsilon(1e-12));
}

TEST_CASE("the other divergence ops reject bad input, naming the op", "[unit][losses][errors]") {
  Tensor a = randn({4, 2}, DType::f64), b = randn({3, 3}, DType::f64);
  CHECK_THROWS_WITH(kl_estimator(a, a, {"k4"}), Catch::StartsWith("[kl_estimator] which"));
  CHECK_THROWS_WITH(kl_estimator(a, a, {"k1", true}),
                    Catch::StartsWith("[kl_estimator] clamp applies to k3 only"));
  CHECK_THROWS_WITH(kl_estimator(a, b), Catch::StartsWith("[kl_estimator]"));
  CHECK_THROWS_WITH(cs_divergence(a, b), Catch::StartsWith("[cs_divergence] x [4, 2]"));
  CHECK_THROWS_WITH(cs_divergence(a, a, {0.0}),
                    Catch::StartsWith("[cs_divergence] sigma must be > 0"));
  Tensor y1 = randn({4}, DType::f64);  // 1-D targets build wrong Grams in the reference
  CHECK_THROWS_WITH(cs_divergence_conditional(a, y1, y1),
                    Catch::StartsWith("[cs_divergence_conditional] target"));
  CHECK_THROWS_WITH(cs_qmi(a, b), Catch::StartsWith("[cs_qmi] x [4, 2] and z [3, 3]"));
  CHECK_THROWS_WITH(cs_qmi(slice(a, 0, 0, 1), slice(a, 0, 0, 1), {1.0, true}),
                    Catch::StartsWith("[cs_qmi] normalized needs N >= 2"));
  Tensor y = randn({4, 1}, DType::f64);
  CHECK_THROWS_WITH(cs_ib_loss(a, y, y, b), Catch::StartsWith("[cs_ib_loss] z [3, 3]"));
  CHECK_THROWS_WITH(cs_ib_loss(a, y, y, a, {-1.0}), Catch::StartsWith("[cs_ib_loss] beta"));
  CHECK_THROWS_WITH(energy_distance(a, b), Catch::StartsWith("[energy_distance]"));
  CHECK_THROWS_WITH(hausdorff_divergence(a, randn({3, 2}, DType::f64)),
                    Catch::StartsWith("[hausdorff_divergence]"));
  CHECK_THROWS_WITH(frechet_distance(a, b), Catch::StartsWith("[frechet_distance] f1 [4, 2]"));
  CHECK_THROWS_WITH(frechet_distance(slice(a, 0, 0, 1), a),
                    Catch::StartsWith("[frechet_distance] each set needs >= 2 samples"));
}

TEST_CASE("the divergences by hand: identical sets, the k-estimators, a Gaussian FD",
          "[unit][losses]") {
  Tensor x = randn({6, 3}, DType::f64);
  CHECK(cs_divergence(x, x).item() == Approx(0.0).margin(1e-12));
  CHECK(energy_distance(x, x).item() == Approx(0.0).margin(1e-12));
  Tensor y = randn({6, 1}, DType::f64);
  CHECK(cs_divergence_conditional(x, y, y).item() == Approx(0.0).margin(1e-12));
  CHECK(cs_qmi(x, x, {1.0, true}).item() == Approx(1.0).epsilon(1e-12));
  // r = log pi_ref - log pi = log 2: k1 = -ln 2, k2 = (ln 2)^2 / 2, k3 = 2 - 1 - ln 2
  Tensor lp = f64({std::log(0.25)}, {1}), lr = f64({std::log(0.5)}, {1});
  double r = std::log(2.0);
  CHECK(kl_estimator(lp, lr, {"k1"}).item() == Approx(-r).epsilon(1e-14));
  CHECK(kl_estimator(lp, lr, {"k2"}).item() == Approx(0.5 * r * r).epsilon(1e-14));
  CHECK(kl_estimator(lp, lr).item() == Approx(1.0 - r).epsilon(1e-14));
  // k3 clamps: r = 30 -> r 20 -> e^20 - 21 -> 10
  CHECK(kl_estimator(f64({-30.0}, {1}), f64({0.0}, {1}), {"k3", true}).item() == 10.0);
  // two sets with the same covariance: FD = |mu1 - mu2|^2 exactly (the trace terms cancel)
  Tensor shifted = x + f64({1.0, 2.0, 0.0}, {1, 3});
  CHECK(frechet_distance(x, shifted).item() == Approx(5.0).epsilon(1e-8));
}

TEST_CASE("the other entropy ops reject bad input, naming the op", "[unit][losses][errors]") {
  Tensor z = randn({4, 3}, DType::f64);
  CHECK_THROWS_WITH(tsallis_entropy(z, {0.0}), Catch::StartsWith("[tsallis_entropy] q must"));
  CHECK_THROWS_WITH(tsallis_entropy(zeros({4, 1}, DType::f64)),
                    Catch::StartsWith("[tsallis_entropy] normalize needs E > 1"));
  CHECK_THROWS_WITH(woc_entropy_min(z, randn({4, 2}, DType::f64)),
                    Catch::StartsWith("[woc_entropy_min]"));
  CHECK_THROWS_WITH(deyo_loss(z, randn({3, 3}, DType::f64)), Catch::StartsWith("[deyo_loss]"));
  CemaSedLossOptions cema;
  cema.temperature = 0;
  CHECK_THROWS_WITH(cema_sed_loss(z, z, cema),
                    Catch::StartsWith("[cema_sed_loss] temperature must be > 0"));
  Tensor label = from_vector(std::vector<int64_t>{1}, {1});
  Tensor bag = randn({1, 2}, DType::f64), att = randn({1, 5}, DType::f64);
  CHECK_THROWS_WITH(aem_loss(bag, cast(label, DType::f64), att),
                    Catch::StartsWith("[aem_loss] class-index targets must be integers"));
  CHECK_THROWS_WITH(aem_loss(bag, label, att, {0.1, 6}),
                    Catch::StartsWith("[aem_loss] top_k must be in [0, K = 5]"));
  Tensor w = zeros({3}, DType::f64);
  CHECK_THROWS_WITH(entropy_band_reg({zeros({1, 2, 3, 4}, DType::f64)}, w),
                    Catch::StartsWith("[entropy_band_reg] attn must be [B, h = 3"));
  CHECK_THROWS_WITH(entropy_band_reg({}, w), Catch::StartsWith("[entropy_band_reg] needs"));
  CHECK_THROWS_WITH(happy_entropy_reg(z), Catch::StartsWith("[happy_entropy_reg] k_old must"));
  CHECK_THROWS_WITH(happy_entropy_reg(z, {3}),
                    Catch::StartsWith("[happy_entropy_reg] k_old must be in [1, K = 3)"));
  CHECK_THROWS_WITH(token_entropy_bonus(z), Catch::StartsWith("[token_entropy_bonus] input"));
  TokenEntropyBonusOptions bonus;
  bonus.mask = zeros({2, 2}, DType::f64);
  CHECK_THROWS_WITH(token_entropy_bonus(randn({2, 2, 3}, DType::f64), bonus),
                    Catch::StartsWith("[token_entropy_bonus] mask must be bool [2, 2]"));
}

TEST_CASE("the entropy ops by hand: uniform maxima, empty selections give 0",
          "[unit][losses]") {
  // uniform router probabilities: normalized Tsallis entropy 1 (eps 0), any q
  Tensor u = full({2, 4}, 0.25, DType::f64);
  CHECK(tsallis_entropy(u, {1.1, 0.0}).to_vector<double>()[0] == Approx(1.0).epsilon(1e-13));
  CHECK(tsallis_entropy(u, {1.0, 0.0}).to_vector<double>()[1] == Approx(1.0).epsilon(1e-13));
  CHECK(tsallis_entropy(u, {2.0, 0.0, false}).to_vector<double>()[0] ==
        Approx(0.75).epsilon(1e-14));
  // happy: uniform predictions over 2 old + 2 new classes are balanced everywhere; with 4 old
  // of 6, P_o = 2/3 and only the group term remains: 2 (2/3 ln 2/3 + 1/3 ln 1/3 + ln 2)
  CHECK(happy_entropy_reg(zeros({4, 4}, DType::f64), {2}).item() == Approx(0.0).margin(1e-14));
  double on = 2.0 / 3 * std::log(2.0 / 3) + 1.0 / 3 * std::log(1.0 / 3) + std::log(2.0);
  CHECK(happy_entropy_reg(zeros({4, 6}, DType::f64), {4}).item() ==
        Approx(2 * on).epsilon(1e-13));
  // every sample less confident in the source class: nothing selected, 0
  Tensor src = f64({3.0, 0.0, 0.0, 3.0}, {2, 2});
  CHECK(woc_entropy_min(zeros({2, 2}, DType::f64), src).item() == 0.0);
  // deyo: flat logits fail the entropy filter, nothing selected
  CHECK(deyo_loss(zeros({3, 4}, DType::f64), zeros({3, 4}, DType::f64)).item() == 0.0);
  // aem: uniform attention over K instances has the most negative value -log K per head
  Tensor bag = zeros({1, 2}, DType::f64);
  Tensor label = from_vector(std::vector<int64_t>{0}, {1});
  CHECK(aem_loss(bag, label, zeros({2, 5}, DType::f64), {1.0}).item() ==
        Approx(std::log(2.0) - 2 * std::log(5.0)).epsilon(1e-13));
  // token bonus: uniform logits, H = log V on every token
  CHECK(token_entropy_bonus(zeros({2, 3, 4}, DType::f64), {0.5}).item() ==
        Approx(-0.5 * std::log(4.0)).epsilon(1e-14));
  // cema: a student equal to the teacher has KL 0; unit weights leave H + CE
  Tensor zs = f64({0.0, std::log(3.0)}, {1, 2});
  double h = -(0.25 * std::log(0.25) + 0.75 * std::log(0.75)), ce = -std::log(0.75);
  CHECK(cema_sed_loss(zs, zs).item() == Approx(h + ce).epsilon(1e-13));
  // entropy band: uniform attention (E = E_max), w 1 -> inside the band, 0
  Tensor att = full({1, 2, 3, 4}, 0.25, DType::f64);
  CHECK(entropy_band_reg({att}, ones({2}, DType::f64)).item() == 0.0);
  // w 0 -> dev = E_max outside the band: lam (1 / h) sum_h sum_i E_max^2 = lam 3 (ln 4)^2
  CHECK(entropy_band_reg({att}, zeros({2}, DType::f64), {1.0}).item() ==
        Approx(3 * std::log(4.0) * std::log(4.0)).epsilon(1e-6));
}

TEST_CASE("dynmole_router_loss: errors, and every expert kept above the entropy threshold",
          "[unit][losses]") {
  DynmoleRouterLossOptions o;
  o.keep_top_k = 5;
  CHECK_THROWS_WITH(dynmole_router_loss(zeros({3, 4}, DType::f64), o),
                    Catch::StartsWith("[dynmole_router_loss] keep_top_k must be in [1, E = 4]"));
  // flat logits: normalized entropy ~1 > 0.9, every expert kept, w = P: f = Pbar = 1/E,
  // L = lam_ent S + lam_lb E (E / E^2) = lam_ent S + lam_lb
  DynmoleRouterLossOptions d;
  Tensor flat = zeros({3, 4}, DType::f64);
  double s = tsallis_entropy(full({1, 4}, 0.25, DType::f64)).item();
  CHECK(dynmole_router_loss(flat, d).item() == Approx(0.01 * s + 0.001).epsilon(1e-12));
}

TEST_CASE("cross_attention_entropy_loss: errors, and a one-hot map scores 0",
          "[unit][losses]") {
  Tensor a = randn({3, 3, 4}, DType::f64);
  CHECK_THROWS_WITH(cross_attention_entropy_loss(a, from_vector(std::vector<int64_t>{4}, {1})),
                    Catch::StartsWith("[cross_attention_entropy_loss] token index 4 out of"));
  CHECK_THROWS_WITH(cross_attention_entropy_loss(a, f64({0.0}, {1})),
                    Catch::StartsWith("[cross_attention_entropy_loss] token_idx must be"));
  CHECK_THROWS_WITH(cross_attention_entropy_loss(randn({3, 4}, DType::f64),
                                                 from_vector(std::vector<int64_t>{0}, {1})),
                    Catch::StartsWith("[cross_attention_entropy_loss] attn"));
  // token 0 peaks at one position and is flat elsewhere: after min-max, one-hot; entropy
  // -2 (1 log(1 + 1e-5)) = -2 log(1 + 1e-5)
  std::vector<double> v(2 * 2 * 2, 0.0);
  v[0] = 5.0;  // position (0, 0), token 0
  Tensor peak = f64(v, {2, 2, 2});
  CHECK(cross_attention_entropy_loss(peak, from_vector(std::vector<int64_t>{0}, {1})).item() ==
        Approx(-2 * std::log(1 + 1e-5)).epsilon(1e-12));
}

TEST_CASE("contractive_recon_loss: errors, the linear-decoder Jacobian by hand",
          "[unit][losses]") {
  Tensor x = randn({2, 3}, DType::f64), we = randn({2, 3}, DType::f64);
  Tensor be = zeros({2}, DType::f64), wd = randn({3, 2}, DType::f64), bd = zeros({3}, DType::f64);
  CHECK_THROWS_WITH(contractive_recon_loss(x, we, be, randn({2, 3}, DType::f64), bd),
                    Catch::StartsWith("[contractive_recon_loss] w_dec"));
  CHECK_THROWS_WITH(contractive_recon_loss(x, we, be, wd, bd, {-1.0}),
                    Catch::StartsWith("[contractive_recon_loss] sigma2 must be >= 0"));
  CHECK_THROWS_WITH(contractive_recon_loss(x, we, be, wd, bd, {0.01, "relu"}),
                    Catch::StartsWith("[contractive_recon_loss] activation"));
  // one sample at x = 0, one hidden unit, sigmoid: h = 1/2, h' = 1/4; r = w_d / 2 + b_d;
  // J = w_d (1/4) w_e^T: |J|_F^2 = |w_d|^2 |w_e|^2 / 16
  Tensor x0 = zeros({1, 2}, DType::f64);
  Tensor e = f64({1.0, 2.0}, {1, 2}), d = f64({3.0, -1.0}, {2, 1});
  Tensor zero1 = zeros({1}, DType::f64), zero2 = zeros({2}, DType::f64);
  double rec = (1.5 * 1.5 + 0.5 * 0.5), jac = 10.0 * 5.0 / 16.0;
  CHECK(contractive_recon_loss(x0, e, zero1, d, zero2, {0.1}).item() ==
        Approx(rec + 0.1 * jac).epsilon(1e-14));
}

TEST_CASE("sinkhorn_divergence: errors, identical clouds give 0", "[unit][losses]") {
  Tensor x = randn({5, 2}, DType::f64);
  SinkhornDivergenceOptions o;
  o.p = 1;
  CHECK_THROWS_WITH(sinkhorn_divergence(x, x, o),
                    Catch::StartsWith("[sinkhorn_divergence] p must be 2"));
  CHECK_THROWS_WITH(sinkhorn_divergence(x, x, {0.0}),
                    Catch::StartsWith("[sinkhorn_divergence] blur must be > 0"));
  CHECK_THROWS_WITH(sinkhorn_divergence(x, x, {0.05, 1.0}),
                    Catch::StartsWith("[sinkhorn_divergence] scaling must be in (0, 1)"));
  Tensor same = ones({3, 2}, DType::f64);
  CHECK_THROWS_WITH(sinkhorn_divergence(same, same),
                    Catch::StartsWith("[sinkhorn_divergence] every point is at one location"));
  CHECK(sinkhorn_divergence(x, x).item() == Approx(0.0).margin(1e-12));
  // far apart clouds at small blur: close to W2^2 / 2 between two single points, |d|^2 / 2
  Tensor a = f64({0.0, 0.0}, {1, 2}), b = f64({3.0, 4.0}, {1, 2});
  CHECK(sinkhorn_divergence(a, b).item() == Approx(12.5).epsilon(1e-9));
}
