// nn::Dropout, the activation layers and nn::Flatten: train/eval behaviour, the 1 / (1 - p)
// scale, reproducible masks, agreement with the ops they wrap, and errors.
#include <catch2/catch.hpp>
#include <cmath>

#include "lathe.h"
#include "tests/models/helpers.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::nn;
using namespace lathe::test;
using namespace lathe::test::models;

TEST_CASE("Dropout zeroes a fraction p in training, scales the rest by 1 / (1 - p)",
          "[unit][module][layers]") {
  Dropout d(0.25);
  CHECK(d.parameters().empty());
  Tensor x = full({4000}, 3.0, DType::f64).requires_grad_();
  manual_seed(11);
  Tensor y = d.forward(x);
  std::vector<double> v = y.to_vector<double>();
  int64_t dropped = 0;
  for (double e : v) {
    CHECK((e == 0.0 || e == 4.0));  // 3 / (1 - 0.25)
    dropped += e == 0.0;
  }
  CHECK(std::fabs(static_cast<double>(dropped) / 4000.0 - 0.25) < 0.03);
  // The gradient is the same mask and scale.
  y.backward(ones({4000}, DType::f64));
  CHECK(compare(x.grad(), y.detach() / 3.0, 0, 0) == "");

  // The same seed gives the same mask; the next draw gives another one.
  manual_seed(11);
  Tensor again = d.forward(x);
  CHECK(compare(again, y, 0, 0) == "");
  CHECK(compare(d.forward(x), y, 0, 0) != "");

  // Eval, and p = 0, pass x through unchanged.
  d.eval();
  CHECK(compare(d.forward(x), x, 0, 0) == "");
  CHECK(compare(Dropout(0.0).forward(x), x, 0, 0) == "");
}

TEST_CASE("Dropout: p must be at least 0 and below 1", "[unit][module][layers][errors]") {
  CHECK_THROWS_WITH(Dropout(1.0), Catch::Contains("[Dropout] p must lie in [0, 1), got 1"));
  CHECK_THROWS_WITH(Dropout(-0.1), Catch::Contains("[Dropout] p must lie in [0, 1)"));
  CHECK_THROWS_WITH(Dropout(std::nan("")), Catch::Contains("[Dropout] p must lie in [0, 1)"));
}

TEST_CASE("activation layers apply their ops", "[unit][module][layers]") {
  Tensor x = from_vector(std::vector<double>{-2.0, -0.5, 0.0, 0.5, 2.0, 3.0}, {2, 3});
  CHECK(ReLU().forward(x).to_vector<double>() == std::vector<double>{0, 0, 0, 0.5, 2, 3});
  CHECK(compare(Tanh().forward(x), tanh(x), 0, 0) == "");
  CHECK(compare(Sigmoid().forward(x), 1.0 / (1.0 + exp(-x)), 1e-15, 1e-15) == "");
  CHECK(compare(SiLU().forward(x), x * sigmoid(x), 1e-15, 1e-15) == "");
  // GELU at 1: exact 0.8413447460685429, tanh approximation 0.8411919906082768.
  Tensor one = ones({1}, DType::f64);
  CHECK(GELU().forward(one).item() == Approx(0.8413447460685429).epsilon(1e-14));
  CHECK(GELU("tanh").forward(one).item() == Approx(0.8411919906082768).epsilon(1e-14));
  CHECK_THROWS_WITH(GELU("fast"), Catch::Contains("[GELU] approximate must be"));

  Tensor rows = Softmax().forward(x), cols = Softmax(0).forward(x);
  CHECK(compare(sum(rows, {1}), ones({2}, DType::f64), 1e-15, 1e-15) == "");
  CHECK(compare(sum(cols, {0}), ones({3}, DType::f64), 1e-15, 1e-15) == "");
  CHECK(rows.to_vector<double>()[0] ==
        Approx(std::exp(-2.0) / (std::exp(-2.0) + std::exp(-0.5) + 1.0)).epsilon(1e-14));

  for (const char* name : {"relu", "gelu", "gelu_tanh", "silu", "tanh", "sigmoid"})
    CHECK(make_activation(name, "test")->forward(x).shape() == x.shape());
  CHECK_THROWS_WITH(make_activation("swish", "MLP"),
                    Catch::Contains("[MLP] unknown activation 'swish'"));
}

TEST_CASE("Flatten merges a range of axes", "[unit][module][layers]") {
  Tensor x = arange(120, DType::f64).reshape({2, 3, 4, 5});
  CHECK(Flatten().forward(x).shape() == Shape{2, 60});
  CHECK(Flatten(1, 2).forward(x).shape() == Shape{2, 12, 5});
  CHECK(Flatten(0, -1).forward(x).shape() == Shape{120});
  CHECK(compare(Flatten().forward(x), x.reshape({2, 60}), 0, 0) == "");
  CHECK_THROWS_WITH(Flatten().forward(arange(3, DType::f64)),
                    Catch::Contains("[Flatten] cannot flatten axes 1 to -1 of x [3]"));
  CHECK_THROWS_WITH(Flatten(2, 1).forward(x), Catch::Contains("[Flatten]"));
}
