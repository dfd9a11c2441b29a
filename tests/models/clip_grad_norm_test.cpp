// clip_grad_norm (models/optim/clip.h) against torch.nn.utils.clip_grad_norm_
// (tools/oracle/optim.py, tests/fixtures/optim/clip_grad_norm/<case>/): the returned total norm
// and the clipped gradients for 1-, 2-, 3- and infinity norms, all-zero gradients and a
// parameter without a gradient. Also: non-finite norms, errors, and gradients that share storage.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "lathe.h"
#include "models/optim/optim.h"
#include "tests/support/fixture_group.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::optim;
using lathe::compare;
using Catch::Matchers::Contains;

namespace {

std::vector<lathe::test::FixtureCase> clip_cases() {
  auto cases = lathe::test::load_fixture_group(std::string(LATHE_SOURCE_DIR) +
                                               "/tests/fixtures/optim/clip_grad_norm.safetensors");
  REQUIRE(cases.size() >= 6);
  return cases;
}

Tensor leaf(const Shape& shape, DType dtype = DType::f64) {
  Tensor p = zeros(shape, dtype);
  p.requires_grad_();
  return p;
}

}  // namespace

TEST_CASE("clip_grad_norm matches PyTorch", "[unit][optim][clip]") {
  for (const lathe::test::FixtureCase& c : clip_cases()) {
    const nlohmann::json& meta = c.meta;
    INFO(c.name << ": " << meta["note"].get<std::string>());
    for (DType dtype : {DType::f64, DType::f32}) {
      INFO("dtype " << dtype);
      bool f64 = dtype == DType::f64;
      double atol = f64 ? meta["atol"].get<double>() : 1e-6;
      double rtol = f64 ? meta["rtol"].get<double>() : 1e-5;
      auto has = meta["has_grad"].get<std::vector<bool>>();
      std::vector<Tensor> params;
      for (size_t i = 0; i < has.size(); ++i) {
        Tensor g = c.at("grad." + std::to_string(i)).to(dtype).clone();
        params.push_back(leaf(g.shape(), dtype));
        if (has[i]) params.back().set_grad(g);
      }
      double norm_type = meta["norm_type"].is_string() ? kInfNorm : meta["norm_type"].get<double>();
      double total = clip_grad_norm(params, meta["max_norm"].get<double>(), norm_type);
      double want = meta["total_norm"].get<double>();
      CHECK(std::fabs(total - want) <= atol + rtol * want);
      for (size_t i = 0; i < has.size(); ++i) {
        INFO("parameter " << i);
        if (!has[i]) {
          CHECK_FALSE(params[i].grad().defined());
          continue;
        }
        Tensor clipped = c.at("clipped." + std::to_string(i));
        CHECK(compare(params[i].grad(), clipped, atol, rtol) == "");
      }
    }
  }
}

TEST_CASE("clip_grad_norm: non-finite norms, no gradients, errors", "[unit][optim][clip]") {
  Tensor a = leaf({3}), b = leaf({2});
  CHECK(clip_grad_norm({a, b}, 1.0) == 0.0);  // no gradients at all

  a.set_grad(from_vector(std::vector<double>{1.0, INFINITY, 2.0}, {3}));
  b.set_grad(from_vector(std::vector<double>{3.0, 4.0}, {2}));
  CHECK_THROWS_WITH(clip_grad_norm({a, b}, 1.0, 2.0, true),
                    Contains("[clip_grad_norm] the total norm of order 2 of the gradients is "
                             "non-finite"));
  CHECK(b.grad().to_vector<double>() == std::vector<double>{3.0, 4.0});  // untouched
  // Without the check the gradients are scaled by max_norm / inf = 0 (PyTorch: same).
  CHECK(std::isinf(clip_grad_norm({a, b}, 1.0)));
  CHECK(b.grad().to_vector<double>() == std::vector<double>{0.0, 0.0});

  a.set_grad(from_vector(std::vector<double>{NAN, 1.0, 2.0}, {3}));
  b.set_grad(from_vector(std::vector<double>{3.0, 4.0}, {2}));
  CHECK(std::isnan(clip_grad_norm({a, b}, 1.0)));
  CHECK(std::isnan(b.grad().to_vector<double>()[0]));  // scaled by NaN, as PyTorch does

  CHECK_THROWS_WITH(clip_grad_norm({a}, -1.0), "[clip_grad_norm] max_norm must be >= 0, got -1");
  CHECK_THROWS_WITH(clip_grad_norm({a}, 1.0, 0.0), Contains("[clip_grad_norm] norm_type must be"));
}

TEST_CASE("clip_grad_norm scales each gradient once when leaves share a gradient tensor",
          "[unit][optim][clip]") {
  // The add rule hands the same gradient tensor to both inputs: an in-place scaling of each
  // leaf's .grad would scale that tensor twice.
  Tensor a = leaf({2}), b = leaf({2});
  Tensor seed = from_vector(std::vector<double>{3.0, 4.0}, {2});
  (a + b).backward(seed);
  double total = clip_grad_norm({a, b}, 1.0);
  CHECK(total == Approx(std::sqrt(50.0)));
  double coef = 1.0 / (std::sqrt(50.0) + 1e-6);
  for (const Tensor& p : {a, b}) {
    CHECK(p.grad().to_vector<double>()[0] == Approx(3.0 * coef).epsilon(1e-14));
    CHECK(p.grad().to_vector<double>()[1] == Approx(4.0 * coef).epsilon(1e-14));
  }
  CHECK(seed.to_vector<double>() == std::vector<double>{3.0, 4.0});  // the caller's seed too
}
