// temperature_scaling and its module nn::TemperatureScaling, mixup_cross_entropy: bad input
// names the op; the module's parameter, and fitting T on validation logits (the catalog's
// procedure, by gradient descent on the cross-entropy) lowers the loss towards the optimum found
// by a scan; K = 1 Mixup is cross-entropy.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"

using namespace lathe;

TEST_CASE("temperature_scaling rejects bad input, naming the op", "[unit][losses][errors]") {
  Tensor z = randn({3, 4}, DType::f64);
  CHECK_THROWS_WITH(temperature_scaling(z, full({2}, 1.0, DType::f64)),
                    Catch::Contains("[temperature_scaling] temperature must be one value"));
  CHECK_THROWS_WITH(temperature_scaling(z, full({1}, 0.0, DType::f64)),
                    Catch::Contains("[temperature_scaling] temperature must be > 0"));
  CHECK_THROWS_WITH(temperature_scaling(zeros({3}, DType::i64), full({1}, 1.0)),
                    Catch::Contains("[temperature_scaling] logits"));
}

TEST_CASE("TemperatureScaling starts at 1.5 and fitting it lowers the validation loss",
          "[unit][models]") {
  nn::TemperatureScaling ts(1.5, DType::f64);
  REQUIRE(ts.parameters().size() == 1);
  CHECK(ts.temperature.shape() == Shape{1});
  Tensor z = from_vector(std::vector<double>{3, 0, -1.5, 0.6}, {2, 2});
  std::vector<double> scaled = ts(z).to_vector<double>(), want = {2, 0, -1, 0.4};
  for (size_t i = 0; i < want.size(); ++i) CHECK(scaled[i] == Approx(want[i]).epsilon(1e-15));
  // overconfident logits (scale 4) on labels that agree only partly: the best T is > 1
  Tensor logits = 4.0 * randn({64, 5}, DType::f64);
  std::vector<int64_t> labels(64);
  std::vector<int64_t> top = argmax(logits, 1).to_vector<int64_t>();
  for (int64_t i = 0; i < 64; ++i) labels[i] = i % 3 == 0 ? (top[i] + 1) % 5 : top[i];
  Tensor y = from_vector(labels, {64});
  auto nll = [&](double t) {
    return cross_entropy(temperature_scaling(logits, full({1}, t, DType::f64)), y).item();
  };
  double best_t = 1, best = nll(1);
  for (double t = 0.5; t < 10; t += 0.01)
    if (nll(t) < best) best = nll(t), best_t = t;
  double before = nll(1.5);
  for (int step = 0; step < 2000; ++step) {
    ts.temperature.zero_grad();
    Tensor l = cross_entropy(ts(logits), y);
    l.backward();
    NoGradGuard no_grad;
    ts.temperature.copy_(ts.temperature - 0.5 * ts.temperature.grad());
  }
  double t = ts.temperature.item();
  CHECK(best_t > 1.0);
  CHECK(nll(t) < before);
  // the scan's grid is 0.01 and the loss is flat near its minimum: compare the losses
  CHECK(nll(t) <= best + 1e-4);
  CHECK(t == Approx(best_t).margin(0.3));
}

TEST_CASE("mixup_cross_entropy: errors, K = 1 is cross-entropy, weights mix the terms",
          "[unit][losses]") {
  Tensor z = randn({4, 3}, DType::f64);
  Tensor y = from_vector(std::vector<int64_t>{0, 2, 1, 1}, {4});
  Tensor perm = from_vector(std::vector<int64_t>{1, 0, 3, 2}, {1, 4});
  Tensor w2 = from_vector(std::vector<double>{0.6, 0.4}, {2});
  CHECK_THROWS_WITH(mixup_cross_entropy(z, y, perm, from_vector(std::vector<double>{1}, {1})),
                    Catch::Contains("[mixup_cross_entropy] weights must be [K] = [2]"));
  CHECK_THROWS_WITH(mixup_cross_entropy(z, y, from_vector(std::vector<int64_t>{1, 0, 4, 2},
                                                          {1, 4}), w2),
                    Catch::Contains("[mixup_cross_entropy] permutation entry 4"));
  CHECK_THROWS_WITH(mixup_cross_entropy(z, cast(y, DType::f64), perm, w2),
                    Catch::Contains("[mixup_cross_entropy] class-index targets"));
  Tensor none = zeros({0, 4}, DType::i64);
  Tensor one = from_vector(std::vector<double>{1}, {1});
  CHECK(mixup_cross_entropy(z, y, none, one).item() ==
        Approx(cross_entropy(z, y).item()).epsilon(1e-14));
  Tensor yp = from_vector(std::vector<int64_t>{2, 0, 1, 1}, {4});
  CHECK(mixup_cross_entropy(z, y, perm, w2).item() ==
        Approx(0.6 * cross_entropy(z, y).item() + 0.4 * cross_entropy(z, yp).item())
            .epsilon(1e-14));
}

TEST_CASE("correctness_aware_loss: errors, a batch by hand, one-sided batches give 0",
          "[unit][losses]") {
  Tensor z = from_vector(std::vector<double>{2, 0, 0, 2, 1, 0}, {3, 2});
  Tensor y = from_vector(std::vector<int64_t>{0, 1, 1}, {3});
  Tensor t = ones({3, 1}, DType::f64).requires_grad_();
  CHECK_THROWS_WITH(correctness_aware_loss(z, y, ones({3}, DType::f64)),
                    Catch::Contains("[correctness_aware_loss] temperature must have shape"));
  CHECK_THROWS_WITH(correctness_aware_loss(z, cast(y, DType::f64), t),
                    Catch::Contains("[correctness_aware_loss] class-index targets"));
  // rows 0, 1 right, row 2 wrong: acc 2/3, w = (1/3, 1/3, 2/3); confidences sigmoid(2) twice
  // and sigmoid(1): L = (2 (1/3) (c2 - 1)^2 + (2/3) c1^2) / (4/3)
  double c2 = 1 / (1 + std::exp(-2.0)), c1 = 1 / (1 + std::exp(-1.0));
  double want = (2.0 / 3 * (c2 - 1) * (c2 - 1) + 2.0 / 3 * c1 * c1) / (4.0 / 3);
  CHECK(correctness_aware_loss(z, y, t).item() == Approx(want).epsilon(1e-14));
  Tensor right = from_vector(std::vector<int64_t>{0, 1, 0}, {3});
  Tensor all_right = correctness_aware_loss(z, right, t);
  CHECK(all_right.item() == 0.0);
  all_right.backward();
  for (double g : t.grad().to_vector<double>()) CHECK(g == 0.0);
}
