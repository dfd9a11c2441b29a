// Normalized LR+GD and the target-based surrogate procedure (models/optim/normalized_lr_gd.h,
// models/optim/sso_surrogate.h): hand values of one step, iterates on a separable toy set
// against a re-derivation in plain arithmetic, the surrogate's gradient at the targets, and a
// tiny regression fitted by sso_step.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"
#include "models/optim/normalized_lr_gd.h"
#include "models/optim/sso_surrogate.h"

using namespace lathe;
using Catch::StartsWith;

namespace {

Tensor f64(std::vector<double> v, Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<int64_t>(v.size())};
  return from_vector(v, shape, DType::f64);
}

// A separable set: label sign(a_0), points at least 0.2 from the boundary.
const std::vector<double> kPoints = {1.0, 0.5,  -0.7, 1.2, 0.3, -0.9, -1.4, -0.2, 0.8, 2.0,
                                     -0.4, -1.5, 2.1, 0.1, -0.25, 0.6, 0.6, -1.1, -2.0, 0.9};

Tensor mean_logistic(const Tensor& w, const Tensor& a, const Tensor& y) {
  return mean(softplus(-y * matmul(a, w)));
}

}  // namespace

TEST_CASE("NormalizedLRGD: one step from 0 by hand, iterates, separation", "[unit][optim]") {
  Tensor a = f64(kPoints, {10, 2});
  std::vector<double> labels;
  for (int i = 0; i < 10; ++i) labels.push_back(kPoints[2 * i] > 0 ? 1.0 : -1.0);
  Tensor y = f64(labels);
  Tensor w = zeros({2}, DType::f64);
  w.requires_grad_();
  optim::NormalizedLRGD opt({w}, 1.0);
  // at w = 0: f = ln 2, grad = -(1/2) mean(y_i a_i): w1 = mean(y_i a_i) / (2 ln 2)
  double m0 = 0, m1 = 0;
  for (int i = 0; i < 10; ++i) {
    m0 += labels[i] * kPoints[2 * i] / 10;
    m1 += labels[i] * kPoints[2 * i + 1] / 10;
  }
  Tensor f = mean_logistic(w, a, y);
  f.backward();
  opt.step(f);
  std::vector<double> w1 = w.to_vector<double>();
  CHECK(w1[0] == Approx(m0 / (2 * std::log(2.0))).epsilon(1e-14));
  CHECK(w1[1] == Approx(m1 / (2 * std::log(2.0))).epsilon(1e-14));
  // 20 more steps against the same rule in plain arithmetic
  std::vector<double> ref = w1;
  for (int step = 0; step < 20; ++step) {
    double fv = 0, g0 = 0, g1 = 0;
    for (int i = 0; i < 10; ++i) {
      double margin = labels[i] * (kPoints[2 * i] * ref[0] + kPoints[2 * i + 1] * ref[1]);
      fv += std::log1p(std::exp(-margin)) / 10;
      double s = 1.0 / (1.0 + std::exp(margin));  // sigmoid(-margin)
      g0 -= labels[i] * kPoints[2 * i] * s / 10;
      g1 -= labels[i] * kPoints[2 * i + 1] * s / 10;
    }
    ref[0] -= g0 / fv;
    ref[1] -= g1 / fv;
    opt.zero_grad();
    Tensor loss = mean_logistic(w, a, y);
    loss.backward();
    opt.step(loss);
  }
  std::vector<double> wn = w.to_vector<double>();
  CHECK(wn[0] == Approx(ref[0]).epsilon(1e-10));
  CHECK(wn[1] == Approx(ref[1]).epsilon(1e-10));
  // every point is on its side, and the loss got small while the step did not vanish
  std::vector<double> margins = (y * matmul(a, w.detach())).to_vector<double>();
  for (double m : margins) CHECK(m > 0.0);
  CHECK(mean_logistic(w.detach(), a, y).item() < 0.05);  // from ln 2 = 0.69
}

TEST_CASE("NormalizedLRGD bad input names the optimizer", "[unit][optim]") {
  Tensor w = zeros({2}, DType::f64);
  w.requires_grad_();
  optim::NormalizedLRGD opt({w}, 0.5);
  sum(w * 2.0).backward();
  CHECK_THROWS_WITH(opt.step(), StartsWith("[NormalizedLRGD] step() needs the loss value"));
  CHECK_THROWS_WITH(opt.step(0.0), StartsWith("[NormalizedLRGD] the loss must be finite and > 0"));
  CHECK_THROWS_WITH(opt.step(f64({1.0, 2.0})), StartsWith("[NormalizedLRGD] the loss must hold"));
  CHECK_THROWS_WITH(opt.set_momentum(0.9), StartsWith("[NormalizedLRGD] has no momentum"));
  opt.step(2.0);  // still usable: w - 0.5 / 2 * 2
  std::vector<double> v = w.to_vector<double>();
  CHECK(v[0] == Approx(-0.5));
  CHECK(v[1] == Approx(-0.5));
}

TEST_CASE("sso_surrogate: gradient at the targets is eta g_t / (n m)", "[unit][optim]") {
  Tensor zt = f64({0.5, -1.0, 2.0, 0.3, 0.0, 1.5}, {3, 2});
  Tensor y = f64({0.0, 1.0, 1.0, -1.0, 0.5, 0.5}, {3, 2});
  Tensor g = 2.0 * (zt - y);  // the sum-reduced squared error's gradient
  Tensor z = zt.clone();
  z.requires_grad_();
  Tensor s = optim::sso_surrogate(z, zt, g, 0.5);
  Tensor dz = grad({s}, {z})[0];
  std::vector<double> got = dz.to_vector<double>(), want = (0.5 * g / 6.0).to_vector<double>();
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(want[i]).margin(1e-15));
  // at z = z_t: value eta <g_t, z_t> / (n m); the paper form equals l(z_t) with gradient g_t
  CHECK(s.item() == Approx(0.5 * sum(g * zt).item() / 6.0).epsilon(1e-14));
  Tensor lt = sum((zt - y) * (zt - y));
  Tensor sp = optim::sso_surrogate_paper(z, zt, lt, g, 0.5);
  CHECK(sp.item() == Approx(lt.item()).epsilon(1e-14));
  std::vector<double> gp = grad({sp}, {z})[0].to_vector<double>(), gv = g.to_vector<double>();
  for (size_t i = 0; i < gp.size(); ++i) CHECK(gp[i] == Approx(gv[i]).margin(1e-14));
  // the minimizer over z of the code's surrogate is z_t - eta g_t / 2
  Tensor zmin = zt - 0.25 * g;
  zmin.requires_grad_();
  std::vector<double> g0 = grad({optim::sso_surrogate(zmin, zt, g, 0.5)}, {zmin})[0]
                               .to_vector<double>();
  for (double v : g0) CHECK(v == Approx(0.0).margin(1e-15));
  CHECK_THROWS_WITH(optim::sso_surrogate(z, f64({1.0}), g, 0.5),
                    StartsWith("[sso_surrogate] z, z_t and g_t must have one shape"));
  CHECK_THROWS_WITH(optim::sso_surrogate(z, zt, g, 0.0), StartsWith("[sso_surrogate] eta"));
}

TEST_CASE("sso_step fits a tiny linear regression", "[unit][optim]") {
  Tensor x = f64({1.0, 0.0, 0.0, 1.0, 1.0, 1.0, -1.0, 2.0}, {4, 2});
  Tensor target = f64({1.0, -2.0, -1.0, -5.0}, {4, 1});  // x [1, -2]^T
  Tensor w = zeros({2, 1}, DType::f64);
  w.requires_grad_();
  auto predict = [&] { return matmul(x, w); };
  auto loss = [&](const Tensor& z) { return sum((z - target) * (z - target)); };
  optim::SSOOptions o;
  o.eta = 0.5;  // each outer step halves the residual in target space
  o.inner_steps = 5;
  o.inner_lr = 0.5;
  double first = optim::sso_step({w}, predict, loss, o), last = first;
  for (int i = 0; i < 60; ++i) last = optim::sso_step({w}, predict, loss, o);
  CHECK(first == Approx(31.0));
  CHECK(last < 1e-6 * first);
  std::vector<double> v = w.to_vector<double>();
  CHECK(v[0] == Approx(1.0).margin(1e-3));
  CHECK(v[1] == Approx(-2.0).margin(1e-3));
  CHECK_THROWS_WITH(optim::sso_step({w}, predict, [&](const Tensor& z) { return z; }, o),
                    StartsWith("[sso_step] loss(z) must return one value"));
}
