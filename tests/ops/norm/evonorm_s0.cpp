// Cases and unit tests for ops/norm/evonorm_s0.cpp.
#include <catch2/catch.hpp>

#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

namespace {
Case evo(const std::string& name, Shape x, Shape p) {
  return Case("evonorm_s0", name)
      .in("x", x)
      .in("gamma", p, 0.5, 2.0)
      .in("beta", p)
      .in("v", p, -1.0, 1.0);
}
}  // namespace

LATHE_CASES(evonorm_s0) {
  add(evo("groups_decrement", {2, 8, 2, 2}, {1, 8, 1, 1}).attr("groups", 3)
          .note("C = 8, groups 3 -> 2"));
  add(evo("default_groups", {2, 4, 3}, {4}).note("C = 4 with the default 32 -> 4 groups"));
  add(evo("default_groups_8", {2, 8, 1, 2}, {1, 8, 1, 1})
          .oracle_only("default_groups gradchecks the same path")
          .note("C = 8 with the default 32 -> 8 groups"));
  add(evo("hw1", {3, 6, 1, 1}, {6}).attr("groups", 2).note("H = W = 1, C = 6, groups 2"));
  add(evo("affine_only", {2, 4, 2}, {4}).attr("nonlinearity", false)
          .note("nonlinearity false: y = x gamma + beta"));
  add(evo("affine_only_nchw", {2, 4, 2, 2}, {1, 4, 1, 1}).attr("nonlinearity", false)
          .oracle_only("affine_only gradchecks the same path")
          .note("[2,4,2,2], nonlinearity false"));
}

TEST_CASE("evonorm_s0: groups are lowered until they divide C", "[unit][norm]") {
  Generator gen(9);
  Tensor x = randn({2, 24, 1, 1}, DType::f64, default_device(), &gen);
  Tensor g = ones({24}, DType::f64), b = zeros({24}, DType::f64), v = ones({24}, DType::f64);
  // C = 24 with 32 groups -> 24 groups of one channel; H = W = 1: every variance is 0.
  Tensor y = evonorm_s0(x, g, b, v);
  CHECK(compare(y, x * sigmoid(x) / std::sqrt(1e-5), 1e-12, 1e-12) == "");
  CHECK(compare(evonorm_s0(x, g, b, v, 5), evonorm_s0(x, g, b, v, 4), 0, 0) == "");
  CHECK_THROWS_WITH(evonorm_s0(x, g, b, v, 0), Catch::Contains("[evonorm_s0] groups"));
}

TEST_CASE("evonorm_s0 is batch-independent", "[unit][norm]") {
  Generator gen(10);
  Tensor x = randn({3, 4, 2, 2}, DType::f64, default_device(), &gen);
  Tensor g = rand({4}, DType::f64, default_device(), &gen), b = zeros({4}, DType::f64);
  Tensor v = randn({4}, DType::f64, default_device(), &gen);
  Tensor all = evonorm_s0(x, g, b, v, 2);
  CHECK(compare(evonorm_s0(x.slice(0, 1, 2), g, b, v, 2), all.slice(0, 1, 2), 1e-15, 1e-15) == "");
}
