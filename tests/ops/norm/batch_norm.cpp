// Cases and unit tests for ops/norm/batch_norm.cpp.
#include <catch2/catch.hpp>

#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

namespace {
Case bn(const std::string& name, Shape x, int64_t c) {
  return Case("batch_norm", name)
      .in("x", x)
      .in("weight", {c}, 0.5, 2.0)
      .in("bias", {c})
      .in("running_mean", {c})
      .in("running_var", {c}, 0.5, 2.0);
}
}  // namespace

LATHE_CASES(batch_norm) {
  add(bn("train", {4, 3, 2}, 3).note("[4,3,2] training: batch stats, unbiased running_var update"));
  add(bn("eval", {4, 3, 2}, 3).attr("training", false)
          .note("[4,3,2] eval: running statistics, unchanged"));
  add(bn("n_c", {5, 3}, 3).note("[5,3] (N, C) training"));
  add(bn("n_c_momentum", {5, 2}, 2).attr("momentum", 0.3)
          .oracle_only("n_c gradchecks the same path").note("[5,2] training, momentum 0.3"));
  add(Case("batch_norm", "no_affine")
          .in("x", {2, 2, 2, 2})
          .in("running_mean", {2})
          .in("running_var", {2}, 0.5, 2.0)
          .note("[2,2,2,2] training without weight and bias"));
  add(Case("batch_norm", "nchw_no_affine")
          .normal("x", {2, 2, 2, 3})
          .normal("running_mean", {2})
          .in("running_var", {2}, 0.5, 2.0)
          .attr("momentum", 0.3)
          .oracle_only("no_affine gradchecks the same path")
          .note("[2,2,2,3] training without weight and bias, momentum 0.3"));
}

TEST_CASE("batch_norm: running statistics use the unbiased variance, eval uses them",
          "[unit][norm]") {
  Tensor x = from_vector(std::vector<double>{1, 3, 2, 6}, {2, 2});  // channel 0: 1, 2; 1: 3, 6
  Tensor rm = zeros({2}, DType::f64), rv = ones({2}, DType::f64);
  BatchNormResult r = batch_norm(x, rm, rv);
  CHECK(compare(r.running_mean, from_vector(std::vector<double>{0.15, 0.45}, {2}), 1e-15, 1e-15) ==
        "");
  CHECK(compare(r.running_var, from_vector(std::vector<double>{0.9 + 0.05, 0.9 + 0.45}, {2}), 1e-15,
                1e-15) == "");
  CHECK(rm.to_vector<double>() == std::vector<double>{0, 0});  // inputs untouched
  double s = 1 / std::sqrt(0.25 + 1e-5);
  CHECK(compare(r.y,
                from_vector(std::vector<double>{-0.5 * s, -1.5 / std::sqrt(2.25 + 1e-5), 0.5 * s,
                                                1.5 / std::sqrt(2.25 + 1e-5)},
                            {2, 2}),
                1e-14, 1e-14) == "");
  // Eval with a fresh state: x / sqrt(1 + eps), the state passes through.
  BatchNormResult e = batch_norm(x, rm, rv, Tensor(), Tensor(), false);
  CHECK(compare(e.y, x / std::sqrt(1 + 1e-5), 1e-15, 1e-15) == "");
  CHECK(e.running_var.impl() == rv.impl());
}

TEST_CASE("batch_norm: one value per channel in training is an error", "[unit][norm][errors]") {
  Tensor s = ones({3}, DType::f64);
  CHECK_THROWS_WITH(batch_norm(zeros({1, 3}, DType::f64), s, s),
                    Catch::Contains("[batch_norm] training needs more than one value"));
  CHECK_NOTHROW(batch_norm(zeros({1, 3}, DType::f64), s, s, Tensor(), Tensor(), false));
  CHECK_THROWS_WITH(batch_norm(zeros({2, 3}, DType::f64), ones({2}, DType::f64), s),
                    Catch::Contains("[batch_norm] running_mean must have shape [3]"));
}
