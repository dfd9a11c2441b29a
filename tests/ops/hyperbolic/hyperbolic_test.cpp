// Poincare-ball ops (ops/hyperbolic/): hand values, round trips, the origin and the boundary in
// f32 and f64 (finite values and gradients), riemannian_grad's rule by hand, and bad input.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"
#include "ops/hyperbolic/hyperbolic.h"

using namespace lathe;

namespace {

Tensor pts(std::vector<double> v, Shape shape, DType dtype = DType::f64, bool grad = false) {
  Tensor t = cast(from_vector(v, shape, DType::f64), dtype);
  if (grad) t.requires_grad_();
  return t;
}

void check_values(const Tensor& t, const std::vector<double>& want, double tol = 1e-12) {
  auto v = cast(t, DType::f64).to_vector<double>();
  REQUIRE(v.size() == want.size());
  for (size_t i = 0; i < v.size(); ++i) CHECK(v[i] == Approx(want[i]).margin(tol));
}

bool all_finite(const Tensor& t) {
  for (double v : cast(t, DType::f64).to_vector<double>())
    if (!std::isfinite(v)) return false;
  return true;
}

}  // namespace

TEST_CASE("Poincare ops hand values and round trips", "[unit][hyperbolic]") {
  // c 1: expmap0 of u = (0.5, 0) is (tanh 0.5, 0); d(0, x) = 2 artanh |x|
  check_values(poincare_expmap0(pts({0.5, 0.0}, {1, 2}), 1.0), {std::tanh(0.5), 0.0});
  Tensor x = pts({0.3, -0.2, 0.1, 0.4}, {2, 2});
  check_values(poincare_logmap0(poincare_expmap0(x, 0.5), 0.5), {0.3, -0.2, 0.1, 0.4}, 1e-9);
  check_values(poincare_distance(pts({0, 0}, {1, 2}), pts({0.6, 0}, {1, 2}), 1.0),
               {2 * std::atanh(0.6 / (1 + 1e-5))}, 1e-12);
  // 0 (+) y = y / (1 + 1e-5); the left cancellation (-x) (+) (x (+) y) ~ y
  check_values(mobius_add(pts({0, 0}, {1, 2}), pts({0.2, 0.3}, {1, 2}), 1.0),
               {0.2 / (1 + 1e-5), 0.3 / (1 + 1e-5)});
  Tensor a = pts({0.4, 0.1}, {1, 2}), b = pts({-0.2, 0.5}, {1, 2});
  check_values(mobius_add(-a, mobius_add(a, b, 1.0), 1.0), {-0.2, 0.5}, 1e-4);
  // expmap at 0 is expmap0 (up to the 1e-5 of the Mobius addition)
  check_values(poincare_expmap(pts({0, 0}, {1, 2}), b, 1.0),
               cast(poincare_expmap0(b, 1.0) / (1 + 1e-5), DType::f64).to_vector<double>());
  check_values(poincare_project(pts({3, 4, 0.1, 0.2}, {2, 2}), 1.0),
               {0.6 * 0.999, 0.8 * 0.999, 0.1, 0.2});
  check_values(hyp_feature_clip(pts({3, 4, 0.3, 0.4}, {2, 2}), 2.0),
               {3 * 2 / (5 + 1e-5), 4 * 2 / (5 + 1e-5), 0.3, 0.4});
}

TEST_CASE("Poincare ops are finite at the origin and the boundary in f32 and f64",
          "[unit][hyperbolic]") {
  for (DType dt : {DType::f32, DType::f64}) {
    Tensor zero = pts({0, 0, 0, 0.3}, {2, 2}, dt, true);
    Tensor far = pts({300, 400, -1e4, 0}, {2, 2}, dt, true);
    Tensor edge = pts({0.6, 0.8, 0.7, 0.7}, {2, 2}, dt, true);  // |x| 1 and 0.99, c 1
    std::vector<Tensor> outs = {
        poincare_expmap0(zero, 1.0),      poincare_expmap0(far, 1.0),
        poincare_logmap0(zero, 1.0),      poincare_logmap0(edge, 1.0),
        poincare_project(zero, 1.0),      poincare_project(far, 1.0),
        poincare_distance(zero, zero, 1.0), poincare_distance(edge, -edge, 1.0),
        hyp_feature_clip(zero, 2.0),      mobius_add(edge, edge, 1.0)};
    Tensor total = zeros({}, dt);
    for (const Tensor& o : outs) {
      CHECK(all_finite(o));
      total = total + sum(o);
    }
    total.backward();
    CHECK(all_finite(zero.grad()));
    CHECK(all_finite(far.grad()));
    CHECK(all_finite(edge.grad()));
    // the tanh clamp keeps far rows inside the ball in f64 (|y| = tanh(15) < 1); in f32
    // tanh(15) rounds to 1, so Hyp-OC's project after the map is what keeps them inside
    Tensor mapped = poincare_expmap0(far.detach(), 1.0);
    auto y = cast(mapped, DType::f64).to_vector<double>();
    if (dt == DType::f64) CHECK(std::hypot(y[0], y[1]) < 1.0);
    y = cast(poincare_project(mapped, 1.0), DType::f64).to_vector<double>();
    CHECK(std::hypot(y[0], y[1]) < 1.0);
  }
}

TEST_CASE("riemannian_grad backward is (1 - c|x|^2)^2 / 4 by hand", "[unit][hyperbolic]") {
  Tensor x = pts({0, 0, 0.6, 0.0}, {2, 2}, DType::f64, true);
  Tensor y = riemannian_grad(x, 1.0);
  check_values(y, {0, 0, 0.6, 0.0});
  sum(y * 2.0).backward();
  double s = (1 - 0.36) * (1 - 0.36) / 4;
  check_values(x.grad(), {0.5, 0.5, 2 * s, 2 * s});
  // double backward defined: d/dg of g scale is the scale
  Tensor z = pts({0.6, 0.0}, {1, 2}, DType::f64, true);
  GradOptions o;
  o.create_graph = true;
  Tensor g = grad({sum(riemannian_grad(z * z, 1.0))}, {z}, {}, o)[0];   // 2 z scale(z^2)
  double s2 = (1 - 0.36 * 0.36) * (1 - 0.36 * 0.36) / 4;
  check_values(g, {1.2 * s2, 0.0});
  check_values(grad({sum(g)}, {z})[0], {2 * s2, 2 * s2});
}

TEST_CASE("Poincare ops reject bad input naming the op", "[unit][hyperbolic]") {
  using Catch::StartsWith;
  Tensor x = pts({0.1, 0.2}, {1, 2});
  CHECK_THROWS_WITH(mobius_add(x, x, 0.0), StartsWith("[mobius_add] c must be > 0"));
  CHECK_THROWS_WITH(poincare_expmap0(x, -1.0), StartsWith("[poincare_expmap0] c must be > 0"));
  CHECK_THROWS_WITH(poincare_logmap0(x, 0.0), StartsWith("[poincare_logmap0] c must be > 0"));
  CHECK_THROWS_WITH(poincare_project(x, -0.1), StartsWith("[poincare_project] c must be > 0"));
  CHECK_THROWS_WITH(poincare_distance(x, x, 0.0), StartsWith("[poincare_distance] c must be"));
  CHECK_THROWS_WITH(riemannian_grad(x, 0.0), StartsWith("[riemannian_grad] c must be > 0"));
  CHECK_THROWS_WITH(hyp_feature_clip(x, 0.0), StartsWith("[hyp_feature_clip] r must be > 0"));
  CHECK_THROWS_WITH(poincare_expmap(pts({3, 4}, {1, 2}), x, 1.0),
                    StartsWith("[poincare_expmap] the base point x must lie inside the ball"));
  CHECK_THROWS_WITH(mobius_add(x, pts({1, 2, 3}, {1, 3}), 1.0), StartsWith("[mobius_add]"));
  CHECK_THROWS_WITH(poincare_expmap0(zeros({1}, DType::i64), 1.0),
                    StartsWith("[poincare_expmap0]"));
}
