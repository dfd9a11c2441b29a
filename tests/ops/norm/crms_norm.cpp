// Cases and unit tests for ops/norm/crms_norm.cpp.
#include <catch2/catch.hpp>

#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

LATHE_CASES(crms_norm) {
  add(Case("crms_norm").in("x", {3, 5}).note("[3,5]"));
  add(Case("crms_norm", "three_dims").in("x", {2, 2, 4}).attr("eps", 1e-3)
          .note("[2,2,4], eps 1e-3"));
  // the first 5 entries of zero-mean rows of 6
  std::vector<double> v = {0.5,  -1.2, 0.3, 2.2, -0.7, 1.1, -0.4, 0.9, 1.6,
                           -2.1, 0.2,  0.6, 1.3, -0.8, 0.1, -1.7, 0.7, 2.4};
  std::vector<double> x;
  for (int r = 0; r < 3; ++r) {
    double mean = 0;
    for (int j = 0; j < 6; ++j) mean += v[r * 6 + j] / 6;
    for (int j = 0; j < 5; ++j) x.push_back(v[r * 6 + j] - mean);
  }
  add(Case("crms_norm", "zero_mean").values("x", {3, 5}, x)
          .note("x = v[..., :-1] for zero-mean v [3,6]: equals rms_norm(v)[..., :-1]"));
  add(Case("crms_norm", "any").normal("x", {2, 2, 4})
          .oracle_only("three_dims gradchecks [2,2,4]")
          .note("[2,2,4] not zero-mean in full form: the op still runs"));
}

TEST_CASE("crms_norm equals rms_norm on the first D - 1 entries of zero-mean vectors",
          "[unit][norm]") {
  Generator gen(5);
  Tensor v = randn({2, 3, 6}, DType::f64, default_device(), &gen);
  Tensor zero_mean = v - mean(v, {-1}, true);  // [2, 3, 6]
  Tensor compressed = zero_mean.slice(-1, 0, 5);
  CHECK(compare(crms_norm(compressed), rms_norm(zero_mean).slice(-1, 0, 5), 1e-13, 1e-13) == "");
  // and so equals layer_norm, the Pre-CRMSNorm equivalence.
  CHECK(compare(crms_norm(compressed), layer_norm(zero_mean).slice(-1, 0, 5), 1e-12, 1e-12) == "");
  // A vector that is not zero-mean in full form still runs; the identity no longer holds.
  Tensor compressed_v = v.slice(-1, 0, 5);
  CHECK(compare(crms_norm(compressed_v), rms_norm(v).slice(-1, 0, 5), 1e-3, 1e-3) != "");
}

TEST_CASE("crms_norm: D - 1 = 0 gives an empty output", "[unit][norm]") {
  Tensor y = crms_norm(zeros({3, 0}, DType::f64));
  CHECK(y.shape() == Shape{3, 0});
  CHECK_THROWS_WITH(crms_norm(zeros({3}, DType::i64)), Catch::Contains("[crms_norm]"));
}
