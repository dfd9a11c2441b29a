// Custom-backward gradient ops and straight-through quantizers (ops/grad/, ops/quant/): their
// backward against hand-computed values of the official rules (not finite differences of the
// forward), double backward defined or refused, and bad input naming the op.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"
#include "ops/grad/grad.h"
#include "ops/quant/quant.h"

using namespace lathe;

namespace {

Tensor leaf(std::vector<double> v) {
  Tensor t = from_vector(v, {static_cast<int64_t>(v.size())}, DType::f64);
  t.requires_grad_();
  return t;
}

void check_values(const Tensor& t, const std::vector<double>& want) {
  auto v = t.to_vector<double>();
  REQUIRE(v.size() == want.size());
  for (size_t i = 0; i < v.size(); ++i) CHECK(v[i] == Approx(want[i]).margin(1e-12));
}

}  // namespace

TEST_CASE("gradient_reversal and grad_scale: identity forward, defined backward",
          "[unit][grad]") {
  Tensor x = leaf({1.0, -2.0, 3.0});
  Tensor y = gradient_reversal(x, 0.5);
  check_values(y, {1.0, -2.0, 3.0});
  sum(y * y).backward();                                   // d/dy = 2 y, reversed: -y
  check_values(x.grad(), {-1.0, 2.0, -3.0});

  Tensor z = leaf({1.0, -2.0});
  sum(gradient_reversal(gradient_reversal(z, 1.0), 1.0) * 3.0).backward();
  check_values(z.grad(), {3.0, 3.0});                      // two reversals cancel

  Tensor w = leaf({0.5, 4.0});
  sum(grad_scale(w, -2.5) * w.detach()).backward();
  check_values(w.grad(), {-1.25, -10.0});
  Tensor u = leaf({1.0});
  sum(grad_scale(u, 0.0)).backward();
  check_values(u.grad(), {0.0});
}

TEST_CASE("gradient_reversal double backward is defined", "[unit][grad]") {
  Tensor x = leaf({1.0, 2.0});
  GradOptions o;
  o.create_graph = true;
  // y = GRL(x^2, c): dy/dx = -c 2x, its derivative -2c
  Tensor g = grad({sum(gradient_reversal(x * x, 0.75))}, {x}, {}, o)[0];
  check_values(g, {-1.5, -3.0});
  check_values(grad({sum(g)}, {x})[0], {-1.5, -1.5});
  Tensor gs = grad({sum(grad_scale(x * x, 2.0))}, {x}, {}, o)[0];
  check_values(grad({sum(gs)}, {x})[0], {4.0, 4.0});
}

TEST_CASE("reste_sign backward matches Binary_ReSTE's rule by hand", "[unit][quant]") {
  Tensor x = leaf({0.0, 0.05, -0.1, 0.5, -1.5, 2.0});
  Tensor y = reste_sign(x);                                // o 3, t 1.5, delta 0.1
  check_values(y, {0.0, 1.0, -1.0, 1.0, -1.0, 1.0});
  sum(y).backward();
  double secant = std::cbrt(0.1) / 0.1;                    // delta^(1/o) / delta
  check_values(x.grad(), {secant, secant, secant, std::pow(0.5, -2.0 / 3.0) / 3.0,
                          std::pow(1.5, -2.0 / 3.0) / 3.0, 0.0});
  Tensor s = leaf({0.3, -1.2, 1.6});
  sum(reste_sign(s, 1.0) * 2.0).backward();                // o 1: slope 1 inside [-t, t]
  check_values(s.grad(), {2.0, 2.0, 0.0});
}

TEST_CASE("grad and quant ops reject bad input naming the op", "[unit][grad][quant]") {
  using Catch::StartsWith;
  Tensor x = leaf({0.5, -0.5});
  CHECK_THROWS_WITH(reste_sign(x, 0.5), StartsWith("[reste_sign] o must be >= 1"));
  CHECK_THROWS_WITH(reste_sign(x, 3.0, 0.1, 0.2), StartsWith("[reste_sign] need 0 < delta < t"));
  GradOptions o;
  o.create_graph = true;
  CHECK_THROWS_WITH(grad({sum(reste_sign(x * x))}, {x}, {}, o),
                    StartsWith("[reste_sign] double backward"));
  CHECK_THROWS_WITH(gradient_reversal(x, std::nan("")),
                    StartsWith("[gradient_reversal] coeff must be finite"));
  CHECK_THROWS_WITH(grad_scale(zeros({1}, DType::i64), 2.0),
                    StartsWith("[grad_scale]"));
}

TEST_CASE("lsq_fake_quant forward and STE gradients by hand", "[unit][quant]") {
  // 2 bits: [Qn, Qp] = [-2, 1]; s 0.5, g 0.25: q = x / (0.5 + 1e-6)
  Tensor x = leaf({0.3, -2.0, 0.9});
  Tensor s = leaf({0.5});
  Tensor y = lsq_fake_quant(x, s, Tensor(), 2, false, 0.25);
  double st = 0.5 + 1e-6, q0 = 0.3 / st;
  check_values(y, {std::round(q0) * st, -2 * st, 1 * st});
  sum(y).backward();
  check_values(x.grad(), {1.0, 0.0, 0.0});                 // clamped entries get nothing
  // ds' = (round(q) - q) inside, Qn or Qp outside; times g sign(s)
  check_values(s.grad(), {0.25 * ((std::round(q0) - q0) + (-2.0) + 1.0)});
  // all_positive with a zero point: [0, 3] at 2 bits, b' = |beta|, db' = 1 outside only
  Tensor x2 = leaf({0.2, 5.0});
  Tensor beta = leaf({-0.1});
  Tensor s2 = leaf({1.0});
  sum(lsq_fake_quant(x2, s2, beta, 2, true, 0.5)).backward();
  check_values(beta.grad(), {0.5 * -1.0 * 1.0});           // one entry outside, sign(beta) -1
  CHECK_THROWS_WITH(lsq_fake_quant(x2, s2, Tensor(), 1), Catch::StartsWith(
                        "[lsq_fake_quant] bits must be in [2, 16]"));
  CHECK_THROWS_WITH(lsq_fake_quant(x2, leaf({1, 2, 3})), Catch::StartsWith("[lsq_fake_quant]"));
}
