// logistic_loss: bad input names the op; the closed-form gradient; huge margins.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"

using namespace lathe;

TEST_CASE("logistic_loss rejects bad input, naming the op", "[unit][losses][errors]") {
  Tensor a = zeros({4, 3}), w = zeros({3});
  Tensor y = from_vector(std::vector<float>{1, -1, 1, 1}, {4});
  CHECK_THROWS_WITH(logistic_loss(a, from_vector(std::vector<float>{1, 0, 1, -1}, {4}), w),
                    Catch::Contains("[logistic_loss] labels must be -1 or +1, 1 of 4"));
  CHECK_THROWS_WITH(logistic_loss(a, y, zeros({2})),
                    Catch::Contains("[logistic_loss] weights") && Catch::Contains("[3]"));
  CHECK_THROWS_WITH(logistic_loss(a, zeros({3}), w), Catch::Contains("[logistic_loss] labels"));
  CHECK_THROWS_WITH(logistic_loss(zeros({4}), y, w), Catch::Contains("[logistic_loss] data"));
  CHECK_THROWS_WITH(logistic_loss(a, y, w, {"avg"}), Catch::Contains("[logistic_loss] reduction"));
}

TEST_CASE("logistic_loss: gradient -(1/n) sum sigmoid(-m) y a, huge margins stay exact",
          "[unit][losses]") {
  Tensor a = from_vector(std::vector<double>{1, 2, -1, 0.5, 0, -3}, {3, 2});
  Tensor y = from_vector(std::vector<double>{1, -1, 1}, {3});
  Tensor w = from_vector(std::vector<double>{0.3, -0.2}, {2}).requires_grad_();
  std::vector<double> gw = grad({logistic_loss(a, y, w)}, {w})[0].to_vector<double>();
  double m[3] = {1 * (0.3 - 0.4), -1 * (-0.3 - 0.1), 1 * (0.0 + 0.6)};
  double ar[3][2] = {{1, 2}, {-1, 0.5}, {0, -3}}, ys[3] = {1, -1, 1};
  for (int j = 0; j < 2; ++j) {
    double e = 0;
    for (int i = 0; i < 3; ++i) e -= ys[i] * ar[i][j] / (1 + std::exp(m[i])) / 3.0;
    CHECK(gw[j] == Approx(e).epsilon(1e-14));
  }
  // Margins of +-1000: 0 exactly (never below), and 1000 (linear growth, no overflow).
  Tensor big = from_vector(std::vector<double>{1000.0}, {1});
  LogisticLossOptions none{"none"};
  std::vector<double> l = logistic_loss(from_vector(std::vector<double>{1, -1}, {2, 1}),
                                        from_vector(std::vector<double>{1, 1}, {2}), big, none)
                              .to_vector<double>();
  CHECK(l[0] == 0.0);
  CHECK(l[1] == 1000.0);
}
