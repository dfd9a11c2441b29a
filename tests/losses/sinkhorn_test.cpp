// sinkhorn_softmin (the fused log-domain Sinkhorn update) and sinkhorn_divergence's fixed-eps
// mode: fused cpu kernel against the composite on the reference backend, both axes, with and
// without the cost's gradient; bad input; convergence and stability at eps = 1e-3.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "lathe.h"
#include "losses/divergence/divergence.h"
#include "losses/divergence/sinkhorn_softmin.h"

using namespace lathe;

namespace {

bool all_finite(const Tensor& t) {
  for (double v : t.to_vector<double>())
    if (!std::isfinite(v)) return false;
  return true;
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
  return max(abs(a.to(Device::reference()) - b.to(Device::reference()))).item();
}

}  // namespace

TEST_CASE("sinkhorn_softmin: values by hand", "[unit][losses]") {
  // c = [[0, 1], [2, 0]], h = 0, eps 1: out_i = -log(sum_j exp(-c_ij))
  Tensor c = from_vector(std::vector<double>{0, 1, 2, 0}, {2, 2});
  Tensor h = zeros({2}, DType::f64);
  std::vector<double> rows = sinkhorn_softmin(c, h, 1.0, 1).to_vector<double>();
  CHECK(rows[0] == Approx(-std::log(1 + std::exp(-1.0))).epsilon(1e-14));
  CHECK(rows[1] == Approx(-std::log(std::exp(-2.0) + 1)).epsilon(1e-14));
  std::vector<double> cols = sinkhorn_softmin(c, h, 1.0, 0).to_vector<double>();
  CHECK(cols[0] == Approx(-std::log(1 + std::exp(-2.0))).epsilon(1e-14));
  CHECK(cols[1] == Approx(-std::log(std::exp(-1.0) + 1)).epsilon(1e-14));
  CHECK_THROWS_WITH(sinkhorn_softmin(c, h, 0.0, 1),
                    Catch::StartsWith("[sinkhorn_softmin] eps must be > 0"));
  CHECK_THROWS_WITH(sinkhorn_softmin(c, h, 1.0, 2),
                    Catch::StartsWith("[sinkhorn_softmin] axis must be 0 or 1"));
  CHECK_THROWS_WITH(sinkhorn_softmin(c, zeros({3}, DType::f64), 1.0, 1),
                    Catch::StartsWith("[sinkhorn_softmin] h"));
}

TEST_CASE("sinkhorn_softmin: the fused cpu kernel matches the composite, values and gradients",
          "[unit][losses][cpu]") {
  for (DType dt : {DType::f64, DType::f32}) {
    for (int axis : {0, 1}) {
      for (bool cost_grad : {true, false}) {
        INFO("dtype " << dtype_name(dt) << " axis " << axis << " cost grad " << cost_grad);
        // 300 x 700: more than one column block, rows not a multiple of the slices
        Tensor c0 = rand({300, 700}, dt) * 3.0, h0 = randn({axis == 1 ? 700 : 300}, dt);
        Tensor g0 = randn({axis == 1 ? 300 : 700}, dt);
        std::vector<Tensor> results[2];
        for (int b = 0; b < 2; ++b) {
          Device dev = b == 0 ? Device::reference() : Device::cpu();
          Tensor c = c0.to(dev).detach().requires_grad_(cost_grad);
          Tensor h = h0.to(dev).detach().requires_grad_(true);
          Tensor out = sinkhorn_softmin(c, h, 0.05, axis);
          if (b == 1) {  // the cpu ran the fused kernel (one node), not the composite
            REQUIRE(out.grad_fn());
            CHECK(std::string(out.grad_fn()->name()) == "sinkhorn_softmin");
          }
          sum(out * g0.to(dev)).backward();
          results[b] = {out, h.grad()};
          if (cost_grad) results[b].push_back(c.grad());
        }
        double tol = dt == DType::f64 ? 1e-10 : 2e-4;
        for (size_t i = 0; i < results[0].size(); ++i) {
          INFO("result " << i);
          double scale = max(abs(results[0][i])).item() + 1.0;
          CHECK(max_abs_diff(results[0][i], results[1][i]) <= tol * scale);
        }
      }
    }
  }
}

TEST_CASE("sinkhorn_divergence iterations mode: bad input, convergence, identical clouds",
          "[unit][losses]") {
  Tensor x = randn({6, 2}, DType::f64), y = randn({5, 2}, DType::f64) + 1.0;
  SinkhornDivergenceOptions o;
  o.iterations = -1;
  CHECK_THROWS_WITH(sinkhorn_divergence(x, y, o),
                    Catch::StartsWith("[sinkhorn_divergence] iterations must be >= 0"));
  o.iterations = 0;
  o.tolerance = 1e-6;
  CHECK_THROWS_WITH(sinkhorn_divergence(x, y, o),
                    Catch::StartsWith("[sinkhorn_divergence] tolerance must be >= 0"));
  // converged at eps = blur^2 = 0.25, the fixed-eps mode solves the problem whose solution a
  // long schedule approaches (one averaged sweep per eps: close, not converged, 1.3e-3 apart
  // here); identical clouds give 0
  o.blur = 0.5;
  o.iterations = 2000;
  o.tolerance = 1e-13;
  double fixed = sinkhorn_divergence(x, y, o).item();
  SinkhornDivergenceOptions s;
  s.blur = 0.5;
  s.scaling = 0.95;  // a long schedule: many sweeps near the last eps
  CHECK(fixed == Approx(sinkhorn_divergence(x, y, s).item()).epsilon(1e-2));
  // (0 up to the convergence error: the transport and debiasing terms are solved by
  // different sweeps, alternating and averaged, stopped when a sweep moves less than 1e-13)
  CHECK(sinkhorn_divergence(x, x, o).item() == Approx(0.0).margin(1e-8));
  // one point per cloud: S = |x - y|^2 / 2 after any number of sweeps
  Tensor a = from_vector(std::vector<double>{0.0, 0.0}, {1, 2});
  Tensor b = from_vector(std::vector<double>{3.0, 4.0}, {1, 2});
  o.iterations = 3;
  o.tolerance = 0;
  CHECK(sinkhorn_divergence(a, b, o).item() == Approx(12.5).epsilon(1e-12));
}

TEST_CASE("sinkhorn_divergence at eps 1e-3 on 512 x 512 costs: finite in f32, both modes",
          "[unit][losses]") {
  Tensor x0 = rand({512, 2}, DType::f32), y0 = rand({512, 2}, DType::f32) + 0.2;
  for (int64_t iterations : {0, 25}) {
    INFO("iterations " << iterations);
    SinkhornDivergenceOptions o;
    o.blur = std::sqrt(1e-3);
    o.iterations = iterations;
    Tensor x = x0.detach().requires_grad_(true), y = y0.detach().requires_grad_(true);
    Tensor loss = sinkhorn_divergence(x, y, o);
    loss.backward();
    CHECK(std::isfinite(loss.item()));
    CHECK(loss.item() > 0);
    CHECK(all_finite(x.grad()));
    CHECK(all_finite(y.grad()));
    // the same in f64 (what the oracle compares against PyTorch): f32 stays close to it
    Tensor l64 = sinkhorn_divergence(cast(x0, DType::f64), cast(y0, DType::f64), o);
    CHECK(loss.item() == Approx(l64.item()).epsilon(1e-3));
  }
}

TEST_CASE("sinkhorn_divergence at eps 1e-3 on 512 x 512 costs: f64 equals the float64 reference",
          "[unit][losses]") {
  // Deterministic points (the same in Python: (i a) % 1.0), and the values tools/oracle's
  // reference (loss_divergence.py, _sinkhorn_divergence) gives for them in float64 PyTorch:
  // loss, sum |dx|, sum |dy|, dx[3, 0], dy[7, 1] for the schedule and for 25 sweeps.
  const int64_t n = 512;
  std::vector<double> xv, yv;
  for (int64_t i = 0; i < n; ++i) {
    xv.push_back(std::fmod(i * 0.6180339887498949, 1.0));
    xv.push_back(std::fmod(i * 0.41421356237309503, 1.0));
    yv.push_back(std::fmod(i * 0.7548776662466927, 1.0) + 0.2);
    yv.push_back(std::fmod(i * 0.5698402909980532, 1.0) + 0.2);
  }
  struct Want {
    int64_t iterations;
    double loss, dx_l1, dy_l1, dx30, dy71;
  };
  for (const Want& w : {Want{0, 0.040380284672252645, 0.40101027659559463, 0.40096865149784466,
                             -0.0004092342301417973, 0.0003870167669760196},
                        Want{25, 0.021706745458265998, 0.2270859598411717, 0.22715170540013405,
                             -0.00024377591565310835, 0.0003740288060419543}}) {
    INFO("iterations " << w.iterations);
    SinkhornDivergenceOptions o;
    o.blur = std::sqrt(1e-3);
    o.iterations = w.iterations;
    for (Device dev : {Device::reference(), Device::cpu()}) {
      INFO("device " << dev.str());
      Tensor x = from_vector(xv, {n, 2}).to(dev).requires_grad_(true);
      Tensor y = from_vector(yv, {n, 2}).to(dev).requires_grad_(true);
      Tensor loss = sinkhorn_divergence(x, y, o);
      loss.backward();
      Tensor dx = x.grad().to(Device::reference()), dy = y.grad().to(Device::reference());
      CHECK(loss.item() == Approx(w.loss).epsilon(1e-9));
      CHECK(sum(abs(dx)).item() == Approx(w.dx_l1).epsilon(1e-8));
      CHECK(sum(abs(dy)).item() == Approx(w.dy_l1).epsilon(1e-8));
      CHECK(dx.to_vector<double>()[3 * 2 + 0] == Approx(w.dx30).epsilon(1e-7));
      CHECK(dy.to_vector<double>()[7 * 2 + 1] == Approx(w.dy71).epsilon(1e-7));
    }
  }
}
