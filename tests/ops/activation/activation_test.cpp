// Activation family (ops/activation/): hand values, the CRReLU module, statistical top-k's
// Gaussian calibration, and bad input naming the op. Case lists are in the files beside this.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"
#include "models/crrelu.h"
#include "ops/activation/activation.h"

using namespace lathe;

namespace {

Tensor f64(std::vector<double> v, Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<int64_t>(v.size())};
  return from_vector(v, shape, DType::f64);
}

void check_values(const Tensor& t, const std::vector<double>& want) {
  auto v = t.to_vector<double>();
  REQUIRE(v.size() == want.size());
  for (size_t i = 0; i < v.size(); ++i) CHECK(v[i] == Approx(want[i]).margin(1e-12));
}

}  // namespace

TEST_CASE("crrelu hand values and its eps gradient", "[unit][activation]") {
  Tensor x = f64({-1.0, 0.0, 2.0});
  Tensor eps = f64({0.5}, {1});
  eps.requires_grad_();
  Tensor y = crrelu(x, eps);
  // relu(x) + 0.5 x exp(-x^2/2)
  check_values(y, {-0.5 * std::exp(-0.5), 0.0, 2.0 + std::exp(-2.0)});
  sum(y).backward();
  check_values(eps.grad(), {-std::exp(-0.5) + 2.0 * std::exp(-2.0)});
}

TEST_CASE("CRReLU module owns one scalar eps initialized to 0.01", "[unit][activation]") {
  nn::CRReLU layer;
  auto params = layer.named_parameters();
  REQUIRE(params.size() == 1);
  CHECK(params[0].first == "eps");
  CHECK(params[0].second.dim() == 0);
  CHECK(params[0].second.item() == Approx(0.01));
  Tensor x = from_vector(std::vector<float>{-2.0f, 1.0f}, {2});
  check_values(layer(x), {0.01 * -2.0 * std::exp(-2.0), 1.0 + 0.01 * std::exp(-0.5)});
}

TEST_CASE("soft and hard thresholds hand values", "[unit][activation]") {
  check_values(soft_threshold(f64({-1.0, 0.2, 0.5, 0.3}), f64({0.3}, {1})),
               {-0.7, 0.0, 0.2, 0.0});
  check_values(hard_threshold(f64({-1.0, 0.3, 0.5, -0.2}), f64({0.3}, {1})),
               {-1.0, 0.0, 0.5, 0.0});
  // IHT: lam = sqrt(2 g l0) with g 0.5, l0 0.09 is 0.3
  check_values(hard_threshold(f64({0.31, -0.29}), sqrt(f64({2 * 0.5 * 0.09}, {1}))),
               {0.31, 0.0});
}

TEST_CASE("sparse-autoencoder allocations hand values", "[unit][activation]") {
  check_values(topk_activation(f64({3, -1, 2, -5, 1, 4, -2, 0}, {2, 4}), 2),
               {3, 0, 2, 0, 1, 4, 0, 0});
  check_values(topk_activation(f64({3, -1, 2, -5}, {1, 4}), 3), {3, 0, 2, 0});
  check_values(topk_activation(f64({3, -1}, {1, 2}), 0), {0, 0});
  // ties at the k-th value: lathe's topk (a stable sort) keeps the lowest indices
  check_values(topk_activation(f64({1, 1, 1, 0.5}, {1, 4}), 2), {1, 1, 0, 0});
  // budget k N = 2 of the whole matrix: both go to column 0
  check_values(mutual_choice_activation(f64({5, 1, 4, 3}, {2, 2}), 1), {5, 0, 4, 0});
  check_values(feature_choice_activation(f64({5, 1, 4, 3, 0, 2}, {3, 2}), 1),
               {5, 0, 0, 3, 0, 0});
}

TEST_CASE("statistical_topk hand values and Gaussian calibration", "[unit][activation]") {
  // k/d = 0.5: theta = mean = 2.5
  check_values(statistical_topk(f64({1, 2, 3, 4}, {1, 4}), 2), {0, 0, 0.5, 1.5});
  check_values(statistical_topk(f64({1, 2, 3, 4}, {1, 4}), 2, false), {0, 0, 3, 4});
  // Spark Transformer: Gaussian rows, d 4096, k/d 8%: about 8% of the entries stay active
  Generator gen(7);
  Tensor x = randn({4, 4096}, DType::f64, default_device(), &gen);
  double active = sum(gt(statistical_topk(x, 328), 0.0)).item() / (4.0 * 4096);
  CHECK(active == Approx(0.08).margin(0.01));
  // a constant row: theta = mu, nothing kept
  check_values(statistical_topk(f64({2, 2, 2, 2}, {1, 4}), 1), {0, 0, 0, 0});
}

TEST_CASE("activation ops reject bad input naming the op", "[unit][activation]") {
  using Catch::StartsWith;
  Tensor h = f64({1, 2, 3, 4, 5, 6}, {2, 3});
  CHECK_THROWS_WITH(crrelu(h, f64({0.1, 0.2})), StartsWith("[crrelu] eps must hold one value"));
  CHECK_THROWS_WITH(crrelu(zeros({1}, DType::i64), f64({0.1})),
                    StartsWith("[crrelu]"));
  CHECK_THROWS_WITH(statistical_topk(h, 3), StartsWith("[statistical_topk] k must be in (0, d"));
  CHECK_THROWS_WITH(statistical_topk(h, 0), StartsWith("[statistical_topk] k must be in (0, d"));
  CHECK_THROWS_WITH(topk_activation(h, 4), StartsWith("[topk_activation] k must be in [0, F"));
  CHECK_THROWS_WITH(topk_activation(h, -1), StartsWith("[topk_activation] k must be in"));
  CHECK_THROWS_WITH(mutual_choice_activation(h, 4),
                    StartsWith("[mutual_choice_activation] k must be in [0, F"));
  CHECK_THROWS_WITH(mutual_choice_activation(f64({1, 2}), 1),
                    StartsWith("[mutual_choice_activation]"));
  CHECK_THROWS_WITH(feature_choice_activation(h, 3),
                    StartsWith("[feature_choice_activation] m must be in [0, N"));
  CHECK_THROWS_WITH(soft_threshold(h, f64({0.1, 0.2})),
                    StartsWith("[soft_threshold] shapes [2] and [2, 3] cannot be broadcast"));
  Tensor row = f64({1, 2, 3});
  CHECK_THROWS_WITH(soft_threshold(row, h), StartsWith("[soft_threshold] lam [2, 3] must "
                                                       "broadcast to x [3]"));
  CHECK_THROWS_WITH(hard_threshold(row, h), StartsWith("[hard_threshold] lam [2, 3] must "
                                                       "broadcast to x [3]"));
}
