// Cases and unit tests for ops/norm/crms_norm.cpp.
#include <catch2/catch.hpp>

#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

LATHE_CASES(crms_norm) {
  add(Case("crms_norm").in("x", {3, 5}));
  add(Case("crms_norm", "three_dims").in("x", {2, 2, 4}).attr("eps", 1e-3));
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
