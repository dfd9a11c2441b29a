// The generative family (losses/generative/): bad input names the op; values by hand (identical
// inputs, exact targets, fixed points); the three procedures (iCT consistency training, MEE's
// regularizers, the HED edge terms) run on tiny models.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"
#include "losses/generative/generative.h"

using namespace lathe;

namespace {
Tensor f64(std::vector<double> v, Shape s) { return from_vector(v, s); }
Tensor i64(std::vector<int64_t> v, Shape s) { return from_vector(v, s); }
}  // namespace

TEST_CASE("rectified_flow_loss and dim_timestep_shift by hand and on bad input",
          "[unit][losses][generative]") {
  Tensor v = f64({1, 2}, {1, 2}), x0 = f64({0, 1}, {1, 2}), eps = f64({1, 1}, {1, 2});
  CHECK(rectified_flow_loss(v, x0, eps).item() == Approx(2.0).epsilon(1e-15));  // (0^2 + 2^2)/2
  Tensor xt = rectified_flow_path(f64({0, 2}, {1, 2}), f64({2, 0}, {1, 2}), f64({0.25}, {1}));
  CHECK(xt.to_vector<double>() == std::vector<double>{0.5, 1.5});
  CHECK_THROWS_WITH(rectified_flow_loss(v, zeros({2, 2}, DType::f64), eps),
                    Catch::StartsWith("[rectified_flow_loss]"));
  CHECK_THROWS_WITH(rectified_flow_path(x0, eps, f64({0.5, 0.5}, {2})),
                    Catch::StartsWith("[rectified_flow_path] t must be [B]"));

  Tensor t = f64({0.0, 0.5, 1.0}, {3});
  std::vector<double> s = dim_timestep_shift(t, {16384.0, 4096.0}).to_vector<double>();  // a = 2
  CHECK(s[0] == 0.0);
  CHECK(s[1] == Approx(2.0 / 3.0).epsilon(1e-15));
  CHECK(s[2] == 1.0);
  CHECK(dim_timestep_shift(t, {4096.0, 4096.0}).to_vector<double>() ==
        t.to_vector<double>());
  CHECK_THROWS_WITH(dim_timestep_shift(t, {1024.0, 4096.0}),
                    Catch::StartsWith("[dim_timestep_shift] needs m >= n_base"));
  CHECK_THROWS_WITH(dim_timestep_shift(f64({1.5}, {1})),
                    Catch::StartsWith("[dim_timestep_shift] times must lie in [0, 1]"));
}

TEST_CASE("adc_gan_classifier_loss by hand and on bad input", "[unit][losses][generative]") {
  Tensor z0 = zeros({1, 4}, DType::f64), y = i64({1}, {1});
  AdcGanClassifierLossOptions d;
  d.real_input = zeros({2, 4}, DType::f64);
  d.real_target = i64({0, 1}, {2});
  CHECK(adc_gan_classifier_loss(z0, y, d).item() == Approx(2 * std::log(4.0)).epsilon(1e-14));
  AdcGanClassifierLossOptions g;
  g.role = "generator";
  g.lam = 0.5;
  // CE(z, 2y) - CE(z, 2y + 1) = z_{2y+1} - z_{2y} = 4 - 3
  CHECK(adc_gan_classifier_loss(f64({1, 2, 3, 4}, {1, 4}), y, g).item() ==
        Approx(0.5).epsilon(1e-14));
  CHECK_THROWS_WITH(adc_gan_classifier_loss(zeros({1, 3}, DType::f64), y, g),
                    Catch::StartsWith("[adc_gan_classifier_loss] input needs 2K columns"));
  CHECK_THROWS_WITH(adc_gan_classifier_loss(z0, f64({1}, {1}), g),
                    Catch::StartsWith("[adc_gan_classifier_loss] target must be integer"));
  CHECK_THROWS_WITH(adc_gan_classifier_loss(z0, i64({2}, {1}), g),
                    Catch::StartsWith("[adc_gan_classifier_loss] target class 2 out of range"));
  CHECK_THROWS_WITH(adc_gan_classifier_loss(z0, y),
                    Catch::StartsWith("[adc_gan_classifier_loss] the discriminator role needs"));
  d.role = "generator";
  CHECK_THROWS_WITH(adc_gan_classifier_loss(z0, y, d),
                    Catch::StartsWith("[adc_gan_classifier_loss] the generator role takes no"));
  d.role = "both";
  CHECK_THROWS_WITH(adc_gan_classifier_loss(z0, y, d),
                    Catch::StartsWith("[adc_gan_classifier_loss] role must be"));
}

TEST_CASE("semantic preservation, consistency and binding losses by hand",
          "[unit][losses][generative]") {
  Tensor a = f64({1, 0, 0, 1}, {2, 2}), b = f64({0, 1, 0, -1}, {2, 2});
  CHECK(semantic_preservation_loss(a, b, {1e-8, "none"}).to_vector<double>() ==
        std::vector<double>{1.0, 2.0});  // orthogonal, opposite
  CHECK(semantic_preservation_loss(a, a).item() == Approx(0.0).margin(1e-15));
  CHECK_THROWS_WITH(semantic_preservation_loss(a, zeros({2, 3}, DType::f64)),
                    Catch::StartsWith("[semantic_preservation_loss]"));

  Tensor r = f64({0.5, -1.0, 2.0}, {3}).requires_grad_();
  Tensor o = f64({0.5, -1.0, 2.0}, {3}).requires_grad_();
  Tensor code = semantic_consistency_loss(r, o);
  CHECK(code.item() == Approx(-0.2).epsilon(1e-14));
  CHECK(semantic_consistency_loss(r, o, {0.2, "paper"}).item() == Approx(0.0).margin(1e-15));
  std::vector<Tensor> g = grad({code}, {r, o}, {}, GradOptions{false, false, true});
  CHECK_FALSE(g[1].defined());  // the observed view's embedding is detached
  CHECK_THROWS_WITH(semantic_consistency_loss(r, o, {0.2, "both"}),
                    Catch::StartsWith("[semantic_consistency_loss] form must be code | paper"));

  Tensor e = f64({1, 2}, {2}).requires_grad_(), t = f64({0, 0}, {2}).requires_grad_();
  Tensor l = semantic_binding_noise_loss(e, t);
  CHECK(l.item() == Approx(2.5).epsilon(1e-15));
  std::vector<Tensor> gb = grad({l}, {e, t}, {}, GradOptions{false, false, true});
  CHECK(gb[0].to_vector<double>() == std::vector<double>{1.0, 2.0});
  CHECK_FALSE(gb[1].defined());
}

TEST_CASE("ddpm_eps_loss, mam_self_consistency_loss, multiplicative_dsm_loss by hand",
          "[unit][losses][generative]") {
  Tensor eps = f64({0, 0, 0, 0}, {4}), p = f64({1, 1, 1, 1}, {4});
  CHECK(ddpm_eps_loss(p, eps).item() == 1.0);
  DdpmEpsLossOptions o;
  o.negative = p;  // identical predictions: the hinge gives margin / 2
  CHECK(ddpm_eps_loss(p, eps, o).item() == Approx((1.0 + 0.1) / 2).epsilon(1e-15));
  CHECK(noise_da_alpha(50, 50) == Approx((2 / (1 + std::exp(-5.0)) - 1) * 0.2).epsilon(1e-15));
  CHECK(noise_da_alpha(0, 50) == 0.0);
  o.negative = zeros({3}, DType::f64);
  CHECK_THROWS_WITH(ddpm_eps_loss(p, eps, o), Catch::StartsWith("[ddpm_eps_loss]"));

  Tensor a = f64({1, 0}, {2}), b = f64({1, -1}, {2}), c = f64({1, 0}, {2});  // r = {1, -1}
  CHECK(mam_self_consistency_loss(a, b, c).item() == 1.0);
  MamSelfConsistencyLossOptions m{3, f64({2}, {1})};
  CHECK(mam_self_consistency_loss(a, b, c, m).item() == 7.0);
  CHECK_THROWS_WITH(mam_self_consistency_loss(a, b, c, {0, f64({2}, {1})}),
                    Catch::StartsWith("[mam_self_consistency_loss] logp_empty belongs"));

  // the exact conditional score -(1 + eps / sigma) / x~ gives 0
  Tensor x = f64({0.5, 1.0, 2.0, 1.5}, {2, 2}), z = f64({0.3, -1.0, 0.7, 0.1}, {2, 2});
  Tensor sigma = f64({0.4}, {});
  Tensor xt = multiplicative_perturb(x, z, sigma);
  Tensor score = -(1.0 + z / sigma) / xt;
  CHECK(multiplicative_dsm_loss(score, x, z, sigma).item() == Approx(0.0).margin(1e-24));
  CHECK(multiplicative_dsm_loss(zeros({2, 2}, DType::f64), x, z, sigma, {"sum"}).item() ==
        Approx(sum((1.0 + z / sigma) * (1.0 + z / sigma)).item()).epsilon(1e-14));
  CHECK_THROWS_WITH(multiplicative_dsm_loss(score, -x, z, sigma),
                    Catch::StartsWith("[multiplicative_dsm_loss] x must be > 0"));
  CHECK_THROWS_WITH(multiplicative_dsm_loss(score, x, z, f64({0.0}, {})),
                    Catch::StartsWith("[multiplicative_dsm_loss] sigma must be > 0"));
}

TEST_CASE("compositional_nll: first call, beta 1 is the exact estimator, errors",
          "[unit][losses][generative]") {
  Tensor ed = f64({0.5, 1.5}, {2}).requires_grad_();
  Tensor en = f64({0.2, -0.4, 1.0}, {3}).requires_grad_();
  Tensor lq = f64({-1.0, -2.0, -1.5}, {3});
  double log_g = std::log((std::exp(-0.2 + 1.0) + std::exp(0.4 + 2.0) + std::exp(-1.0 + 1.5)) / 3);
  CompositionalNllResult first = compositional_nll(ed, en, lq, f64({-INFINITY}, {}));
  CHECK(first.loss.item() == Approx(1.0 + 1.0).epsilon(1e-14));  // mean E + g^ / g^
  CHECK(first.log_u.item() == Approx(log_g).epsilon(1e-14));
  // beta 1: the surrogate's gradient is grad [mean E + log g^]: -softmax(-E - log q) on E_noise
  CompositionalNllResult exact = compositional_nll(ed, en, lq, f64({3.0}, {}), {1.0});
  std::vector<Tensor> g = grad({exact.loss}, {ed, en});
  Tensor want = -softmax(-en.detach() - lq, 0);
  CHECK(g[1].to_vector<double>()[1] == Approx(want.to_vector<double>()[1]).epsilon(1e-14));
  CHECK(g[0].to_vector<double>() == std::vector<double>{0.5, 0.5});
  // a running state: u <- 0.9 u + 0.1 g^
  CompositionalNllResult run = compositional_nll(ed, en, lq, f64({0.0}, {}));
  CHECK(run.log_u.item() == Approx(std::log(0.9 + 0.1 * std::exp(log_g))).epsilon(1e-14));
  CHECK(run.loss.item() == Approx(1.0 + std::exp(log_g) / (0.9 + 0.1 * std::exp(log_g)))
                               .epsilon(1e-14));
  CHECK_THROWS_WITH(compositional_nll(ed, en, lq, f64({0.0}, {}), {0.0}),
                    Catch::StartsWith("[compositional_nll] beta must be in (0, 1]"));
  CHECK_THROWS_WITH(compositional_nll(ed, en, lq, f64({NAN}, {})),
                    Catch::StartsWith("[compositional_nll] log_u must be finite or -inf"));
  CHECK_THROWS_WITH(compositional_nll(ed, en, f64({0}, {1}), f64({0.0}, {})),
                    Catch::StartsWith("[compositional_nll]"));
}

TEST_CASE("attention_refocusing_loss and occsdf_feature_render_loss by hand",
          "[unit][losses][generative]") {
  // one map {0, 1} at its own size, mask {0, 0}: (0^2 + 1^2) / 2 times 2.5
  Tensor a = f64({0, 1}, {1, 1, 1, 1, 2});
  CHECK(attention_refocusing_loss(a, zeros({1, 1, 1, 2}, DType::f64)).item() ==
        Approx(1.25).epsilon(1e-15));
  CHECK(attention_refocusing_loss(a, ones({1, 1, 1, 2}, DType::f64)).item() == 0.0);
  // a constant map normalizes to 0 (the reference divides by zero)
  CHECK(attention_refocusing_loss(ones({1, 1, 1, 2, 2}, DType::f64),
                                  zeros({1, 1, 3, 3}, DType::f64)).item() == 0.0);
  CHECK_THROWS_WITH(attention_refocusing_loss(a, zeros({2, 1, 1, 2}, DType::f64)),
                    Catch::StartsWith("[attention_refocusing_loss] masks"));

  // zero density: zero weights; dec(0) = 0.5 with b = 0; |0.5 - c| + |0 - c| = 0.5 at c = 0.25
  Tensor sigma = zeros({2, 3}, DType::f64), zv = f64({0.1, 0.2, 0.3, 0.1, 0.5, 0.9}, {2, 3});
  Tensor feats = ones({2, 3, 2}, DType::f64), w = ones({3, 2}, DType::f64);
  Tensor b = zeros({3}, DType::f64), c = full({2, 3}, 0.25, DType::f64);
  CHECK(occsdf_feature_render_loss(sigma, zv, feats, w, b, c).item() ==
        Approx(0.5).epsilon(1e-15));
  // an opaque first sample (sigma delta = 100) renders its own feature, here 0: dec = 0.5
  Tensor opaque = f64({1e3, 1, 1, 1e3, 1, 1}, {2, 3});
  Tensor f0 = concat({zeros({2, 1, 2}, DType::f64), ones({2, 2, 2}, DType::f64)}, 1);
  CHECK(occsdf_feature_render_loss(opaque, zv, f0, w, b, full({2, 3}, 0.5, DType::f64)).item() ==
        Approx(0.0).margin(1e-15));
  CHECK_THROWS_WITH(occsdf_feature_render_loss(sigma, zv, zeros({2, 2, 2}, DType::f64), w, b, c),
                    Catch::StartsWith("[occsdf_feature_render_loss] feats must be [R, S, F]"));
}

TEST_CASE("ict_consistency_loss trains a tiny consistency model, schedule helpers",
          "[unit][losses][generative]") {
  // f(x, sigma) = w x / (1 + sigma): student at sigma_next, teacher (detached) at sigma_i, one
  // noise z for both
  Tensor x = f64({0.5, -1.0, 0.25, 2.0, 1.0, -0.5}, {2, 3});
  Tensor z = f64({0.3, 0.1, -0.7, 0.2, -0.4, 0.9}, {2, 3});
  Tensor si = f64({0.1, 0.5}, {2}), sn = f64({0.2, 0.8}, {2});
  auto model = [&](const Tensor& w, const Tensor& s) {
    Tensor sc = reshape(s, {2, 1});
    return w * (x + sc * z) / (1.0 + sc);
  };
  Tensor w = f64({1.5}, {}).requires_grad_();
  Tensor teacher = model(w, si).detach();
  for (const char* variant : {"norm", "elementwise"}) {
    INFO(variant);
    IctConsistencyOptions o{variant};
    Tensor loss = ict_consistency_loss(model(w, sn), teacher, si, sn, o);
    double gw = grad({loss}, {w})[0].item(), h = 1e-6;
    double up = ict_consistency_loss(model(f64({1.5 + h}, {}), sn), teacher, si, sn, o).item();
    double dn = ict_consistency_loss(model(f64({1.5 - h}, {}), sn), teacher, si, sn, o).item();
    CHECK(gw == Approx((up - dn) / (2 * h)).epsilon(1e-6));
    CHECK(loss.item() > 0);
    // one gradient step on w lowers the loss (teacher fixed)
    double stepped = ict_consistency_loss(model(f64({1.5 - 1e-3 * gw}, {}), sn), teacher, si,
                                          sn, o).item();
    CHECK(stepped < loss.item());
  }
  // the norm variant by hand: diff 0.1 everywhere in d = 4, c = 0.00054 * 2, lambda = 2
  Tensor s0 = full({1, 4}, 0.1, DType::f64), t0 = zeros({1, 4}, DType::f64);
  double c = 0.00108;
  CHECK(ict_consistency_loss(s0, t0, f64({0.5}, {1}), f64({1.0}, {1})).item() ==
        Approx(2 * (std::sqrt(0.04 + c * c) - c)).epsilon(1e-14));
  CHECK(ict_consistency_loss(s0, s0, f64({0.5}, {1}), f64({1.0}, {1})).item() == 0.0);
  CHECK_THROWS_WITH(ict_consistency_loss(s0, t0, f64({0.5}, {1}), f64({0.5}, {1})),
                    Catch::StartsWith("[ict_consistency_loss] needs sigma_next > sigma_i"));
  CHECK(ict_num_steps(0, 1000) == 11);
  CHECK(ict_num_steps(125, 1000) == 21);    // K' = floor(1000 / 8) = 125
  CHECK(ict_num_steps(999, 1000) == 1281);  // capped at s1
  std::vector<double> sig = ict_karras_sigmas(11);
  CHECK(sig.front() == Approx(0.002).epsilon(1e-13));
  CHECK(sig.back() == Approx(80.0).epsilon(1e-13));
  std::vector<double> p = ict_sigma_probs(sig);
  double total = 0;
  for (double v : p) {
    CHECK(v > 0);
    total += v;
  }
  CHECK(total == Approx(1.0).epsilon(1e-14));
}

TEST_CASE("mee regularizers on a tiny discriminator, edge consistency terms",
          "[unit][losses][generative]") {
  Tensor wd = f64({0.2, -0.1, 0.3, 0.5, -0.4, 0.1}, {3, 2}).requires_grad_();
  auto disc = [&](const Tensor& x) { return tanh(matmul(x, wd)); };          // [B, 2]
  Tensor xr = f64({0.5, -1.0, 0.25, 2.0, 1.0, -0.5}, {2, 3});
  Tensor xf = f64({0.1, 0.4, -0.3, -0.2, 0.8, 0.6}, {2, 3});
  Tensor buf;
  for (int step = 0; step < 3; ++step) buf = mee_update_buffer(buf, disc(xr * double(step)), 2);
  CHECK(buf.shape() == Shape{2, 2, 2});  // the last two batches: steps 1 and 2
  CHECK(max(abs(slice(buf, 0, 1) - unsqueeze(disc(xr * 2.0), 0))).item() == 0.0);
  Tensor ent = mee_entropy_loss(disc(xr), buf, mee_entropy_weight(50));
  Tensor a = f64({0.3, -1.2}, {2});
  Tensor mix = unsqueeze(a, 1) * xr + (1.0 - unsqueeze(a, 1)) * xf;
  Tensor iso = mee_isomap_loss(disc(mix), disc(xr), disc(xf), a, zeros({2, 2}, DType::f64));
  Tensor dlle = mee_dlle_loss(disc(xr), disc(xr + 0.001), disc(xf), disc(xf - 0.001));
  Tensor total = ent + iso + dlle;
  Tensor g = grad({total}, {wd})[0];
  CHECK(std::isfinite(sum(g * g).item()));
  CHECK(sum(g * g).item() > 0);
  // by hand: the buffer 0.5 away in every coordinate: -lam log(0.25)
  Tensor zz = zeros({2, 3}, DType::f64);
  CHECK(mee_entropy_loss(zz, full({1, 2, 3}, 0.5, DType::f64), 0.5, 0.0).item() ==
        Approx(0.5 * std::log(4.0)).epsilon(1e-15));
  // the nearest of two stored batches wins: 0.1 beats 0.5
  Tensor two = concat({full({1, 2, 3}, 0.5, DType::f64), full({1, 2, 3}, 0.1, DType::f64)}, 0);
  CHECK(mee_entropy_loss(zz, two, 1.0, 0.0).item() == Approx(-std::log(0.01)).epsilon(1e-14));
  CHECK(mee_dlle_loss(zz, zz, zz, zz).item() == 0.0);
  CHECK(mee_entropy_weight(250) == 1.0);
  CHECK_THROWS_WITH(mee_entropy_loss(zz, zeros({1, 3, 3}, DType::f64)),
                    Catch::StartsWith("[mee_entropy_loss] buffer must be [K >= 1, B, E]"));

  Tensor ef = f64({0.5, 0.5}, {1, 1, 1, 2}).requires_grad_();
  Tensor er = f64({0.25, 0.75}, {1, 1, 1, 2}).requires_grad_();
  Tensor l = edge_consistency_loss(ef, er);
  CHECK(l.item() == Approx(1.25).epsilon(1e-15));  // 5 * mean |.| = 5 * 0.25
  std::vector<Tensor> ge = grad({l}, {ef, er}, {}, GradOptions{false, false, true});
  CHECK(ge[0].to_vector<double>() == std::vector<double>{2.5, -2.5});
  CHECK_FALSE(ge[1].defined());
  CHECK(edge_detector_distill_loss(ef, er, er, 2.0).item() == Approx(0.5).epsilon(1e-15));
  CHECK_THROWS_WITH(edge_consistency_loss(ef, zeros({2}, DType::f64)),
                    Catch::StartsWith("[edge_consistency_loss]"));
}
