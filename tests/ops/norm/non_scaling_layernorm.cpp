// Cases and unit tests for ops/norm/non_scaling_layernorm.cpp.
#include <catch2/catch.hpp>

#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

LATHE_CASES(non_scaling_layernorm) {
  add(Case("non_scaling_layernorm", "standardize").in("x", {3, 5}).in("bias", {5})
          .note("[3,5] with bias, default eps 1e-6"));
  add(Case("non_scaling_layernorm", "no_bias").in("x", {2, 3, 4})
          .note("[2,3,4] without bias: F.layer_norm without affine"));
  add(Case("non_scaling_layernorm", "center")
          .in("x", {3, 5})
          .in("bias", {5})
          .attr("variant", "center")
          .note("variant center: x - mean + bias"));
  add(Case("non_scaling_layernorm", "outlier")
          .values("x", {3, 6}, {0.3, -0.8, 40.5, 1.2, -0.1, 0.6, -1.4, 0.2, 39.1, 0.9, 1.5, -0.3,
                                0.7, 1.1, 40.2, -0.6, -1.9, 0.4})
          .normal("bias", {6})
          .oracle_only("standardize gradchecks the same path")
          .note("one large outlier per row: only gamma is removed"));
}

TEST_CASE("non_scaling_layernorm: both readings", "[unit][norm]") {
  Generator gen(13);
  Tensor x = randn({4, 6}, DType::f64, default_device(), &gen);
  Tensor b = randn({6}, DType::f64, default_device(), &gen);
  // standardize: LayerNorm with gamma = 1 (Outlier Suppression; sLCT's DiT with eps 1e-6).
  CHECK(compare(non_scaling_layernorm(x, b), layer_norm(x, Tensor(), b, Shape(), 1e-6), 1e-14,
                1e-14) == "");
  // center: no division at all.
  CHECK(compare(non_scaling_layernorm(x, b, "center"), x - mean(x, {-1}, true) + b, 1e-15, 1e-15) ==
        "");
  // D = 1 gives the bias; a row with one large outlier is still divided by its inflated std.
  Tensor one = non_scaling_layernorm(from_vector(std::vector<double>{5, -2}, {2, 1}),
                                     from_vector(std::vector<double>{0.5}, {1}));
  CHECK(one.to_vector<double>() == std::vector<double>{0.5, 0.5});
  Tensor spike = from_vector(std::vector<double>{0, 0, 0, 100}, {1, 4});
  CHECK(non_scaling_layernorm(spike).to_vector<double>()[3] == Approx(std::sqrt(3.0)));
}

TEST_CASE("non_scaling_layernorm: bad inputs name the op", "[unit][norm][errors]") {
  Tensor x = zeros({2, 3}, DType::f64);
  CHECK_THROWS_WITH(non_scaling_layernorm(x, Tensor(), "scale"),
                    Catch::Contains("[non_scaling_layernorm] variant must be"));
  CHECK_THROWS_WITH(non_scaling_layernorm(x, ones({2}, DType::f64)),
                    Catch::Contains("[non_scaling_layernorm] bias must have shape [3]"));
}
