// Cases and unit tests for ops/norm/l1_norm.cpp.
#include <catch2/catch.hpp>

#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

LATHE_CASES(l1_norm) {
  add(Case("l1_norm", "layer").distinct("x", {4, 5}).in("weight", {5}, 0.5, 2.0).in("bias", {5})
          .note("[4,5] per token (axes [-1])"));
  add(Case("l1_norm", "batch")
          .distinct("x", {2, 3, 2, 2})
          .in("weight", {1, 3, 1, 1}, 0.5, 2.0)
          .in("bias", {1, 3, 1, 1})
          .attr("axes", AttrValue(std::vector<int64_t>{0, 2, 3}))
          .note("[2,3,2,2] per channel (axes [0,2,3]), params [1,3,1,1]"));
  add(Case("l1_norm", "constant")
          .values("x", {3, 4}, {0.6, -1.3, 1.1, 0.2, 2.5, 2.5, 2.5, 2.5, -0.9, 0.4, 1.7, -2.0})
          .in("weight", {4}, 0.5, 2.0)
          .normal("bias", {4})
          .at_kink("every element of row 1 sits at its mean")
          .note("row 1 constant: scale 0, eps path gives y = bias"));
  add(Case("l1_norm", "at_mean")
          .values("x", {2, 5}, {-1.0, 0.0, 1.0, 2.0, -2.0, 0.5, 1.5, -0.7, 0.2, 1.1})
          .in("weight", {5}, 0.5, 2.0)
          .normal("bias", {5})
          .at_kink("an element at its row mean")
          .note("an element equal to its row mean: sign 0 in the gradient"));
}

TEST_CASE("l1_norm: sqrt(pi / 2) mean absolute deviation, eps outside", "[unit][norm]") {
  Tensor x = from_vector(std::vector<double>{-1, 0, 1, 4}, {1, 4});  // mean 1, mean|x - mu| 1.5
  Tensor one = ones({4}, DType::f64), zero = zeros({4}, DType::f64);
  double s = 1.5 * std::sqrt(std::acos(-1.0) / 2) + 1e-5;
  CHECK(compare(l1_norm(x, one, zero),
                from_vector(std::vector<double>{-2 / s, -1 / s, 0, 3 / s}, {1, 4}), 1e-15,
                1e-15) == "");
  // For Gaussian data the scale approximates the standard deviation.
  Generator gen(12);
  Tensor g = randn({1, 4096}, DType::f64, default_device(), &gen);
  Tensor ln = layer_norm(g);
  CHECK(compare(l1_norm(g, ones({4096}, DType::f64), zeros({4096}, DType::f64)), ln, 0.1, 0.05) ==
        "");
}

TEST_CASE("l1_norm: a constant channel gives the bias, the element at the mean gets sign 0",
          "[unit][norm]") {
  Tensor x = from_vector(std::vector<double>{2, 2, 2, -1, 0, 1}, {2, 3}).requires_grad_();
  Tensor w = full({3}, 2.0, DType::f64), b = from_vector(std::vector<double>{1, 2, 3}, {3});
  Tensor y = l1_norm(x, w, b);
  CHECK(compare(y.select(0, 0), b, 0, 0) == "");
  y.backward(ones_like(y.detach()));
  for (double g : x.grad().to_vector<double>()) CHECK(std::isfinite(g));
}

TEST_CASE("l1_norm: bad inputs name the op", "[unit][norm][errors]") {
  Tensor x = zeros({2, 3}, DType::f64), w = ones({3}, DType::f64);
  CHECK_THROWS_WITH(l1_norm(x, ones({2}, DType::f64), w), Catch::Contains("[l1_norm]"));
  CHECK_THROWS_WITH(l1_norm(x, w, w, Axes{}), Catch::Contains("[l1_norm] axes"));
  CHECK_THROWS_WITH(l1_norm(x, w, w, Axes{2}), Catch::Contains("[l1_norm]"));
}
