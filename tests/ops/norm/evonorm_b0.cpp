// Cases and unit tests for ops/norm/evonorm_b0.cpp.
#include <catch2/catch.hpp>

#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

namespace {
Case evo(const std::string& name, Shape x, Shape p) {
  return Case("evonorm_b0", name)
      .in("x", x)
      .in("gamma", p, 0.5, 2.0)
      .in("beta", p)
      .in("v", p, -1.0, 1.0)
      .in("moving_var", p, 0.5, 2.0);
}
}  // namespace

LATHE_CASES(evonorm_b0) {
  add(evo("train", {2, 3, 2, 2}, {1, 3, 1, 1})
          .note("[2,3,2,2] training: batch variance with gradient, moving_var update"));
  add(evo("eval", {2, 3, 2, 2}, {1, 3, 1, 1}).attr("training", false)
          .note("[2,3,2,2] eval: moving_var for the batch variance, unchanged"));
  add(evo("flat_params", {2, 2, 3}, {2}).attr("decay", 0.8)
          .note("parameters and moving_var as [C], decay 0.8"));
  add(evo("flat_params_nchw", {2, 2, 3, 2}, {2}).attr("decay", 0.8)
          .oracle_only("flat_params gradchecks the same path")
          .note("[2,2,3,2], parameters and moving_var as [C], decay 0.8"));
  add(evo("affine_only", {2, 3, 2, 2}, {1, 3, 1, 1}).attr("nonlinearity", false)
          .note("nonlinearity false: y = x gamma + beta, moving_var unchanged"));
  add(Case("evonorm_b0", "ties")
          .normal("x", {1, 2, 2, 3})
          .in("gamma", {1, 2, 1, 1}, 0.5, 2.0)
          .normal("beta", {1, 2, 1, 1})
          .values("v", {1, 2, 1, 1}, {0.0, 0.0})
          .in("moving_var", {1, 2, 1, 1}, 0.5, 2.0)
          .at_kink("both branches of the max are equal")
          .note("batch of one, v = 0: both max branches equal, gradient split evenly"));
}

TEST_CASE("evonorm_b0: train updates moving_var, eval uses it", "[unit][norm]") {
  Generator gen(7);
  Tensor x = randn({4, 2, 3, 3}, DType::f64, default_device(), &gen);
  Tensor g = ones({1, 2, 1, 1}, DType::f64), b = zeros({1, 2, 1, 1}, DType::f64);
  Tensor v = full({1, 2, 1, 1}, 0.5, DType::f64), mv = ones({1, 2, 1, 1}, DType::f64);
  EvoNormB0Result train = evonorm_b0(x, g, b, v, mv, true, 0.9);
  Tensor d = x - mean(x, {0, 2, 3}, true);
  Tensor var_b = mean(d * d, {0, 2, 3}, true);
  CHECK(compare(train.moving_var, mv * 0.9 + var_b * 0.1, 1e-15, 1e-14) == "");
  CHECK(mv.to_vector<double>() == std::vector<double>{1, 1});  // the input is left alone
  // Eval with a fresh state (moving_var = 1): the left term is sqrt(1 + eps).
  EvoNormB0Result eval = evonorm_b0(x, g, b, v, mv, false);
  CHECK(eval.moving_var.impl() == mv.impl());
  Tensor di = x - mean(x, {2, 3}, true);
  Tensor right = v * x + sqrt(mean(di * di, {2, 3}, true) + 1e-5);
  CHECK(compare(eval.y, x / maximum(right, std::sqrt(1 + 1e-5)), 1e-14, 1e-14) == "");
}

TEST_CASE("evonorm_b0: ties split the gradient, a batch of one value is rejected", "[unit][norm]") {
  // N = 1 and v = 0: the batch and instance variances coincide, so every element ties.
  Generator gen(8);
  Tensor x = randn({1, 2, 2, 2}, DType::f64, default_device(), &gen);
  Tensor g = ones({2}, DType::f64), b = zeros({2}, DType::f64), v = zeros({2}, DType::f64);
  Tensor vl = v.clone().requires_grad_();
  Tensor y = evonorm_b0(x, g, b, vl, ones({2}, DType::f64)).y;
  sum(y).backward();
  // d den / d v = x on the right branch, halved by the tie.
  Tensor std_c =
      sqrt(mean((x - mean(x, {2, 3}, true)) * (x - mean(x, {2, 3}, true)), {2, 3}, true) + 1e-5);
  Tensor want = sum(-x * x / (std_c * std_c) * 0.5, {0, 2, 3});
  CHECK(compare(vl.grad(), want, 1e-12, 1e-12) == "");
  CHECK_THROWS_WITH(evonorm_b0(zeros({1, 2, 1}, DType::f64), g, b, v, g),
                    Catch::Contains("[evonorm_b0] training needs more than one value"));
  CHECK_THROWS_WITH(evonorm_b0(zeros({2, 2}, DType::f64), g, b, v, g),
                    Catch::Contains("[evonorm_b0] expected x [N, C, *spatial]"));
  CHECK_THROWS_WITH(evonorm_b0(zeros({2, 3, 2}, DType::f64), g, b, v, g),
                    Catch::Contains("[evonorm_b0] gamma must have shape [3]"));
}
