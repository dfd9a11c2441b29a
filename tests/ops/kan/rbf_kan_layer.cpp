// Test cases for ops/kan/rbf_kan_layer.cpp and the FastKANLayer module.
#include <catch2/catch.hpp>

#include "models/kan/kan.h"
#include "tests/ops/kan/helpers.h"
#include "tests/support/cases.h"

LATHE_CASES(rbf_kan_layer) {
  add(Case("rbf_kan_layer")
          .in("x", {3, 4})
          .values("grid", {5}, {-2.0, -1.0, 0.0, 1.0, 2.0})
          .in("spline_weight", {2, 20}, -0.5, 0.5)
          .in("base_weight", {2, 4}, -1.0, 1.0)
          .in("base_bias", {2})
          .in("norm_weight", {4}, 0.8, 1.2)
          .in("norm_bias", {4}, -0.1, 0.1)
          .attr("denominator", 1.0)
          .note("[3,4] -> [3,2], 5 centres, h 1, LayerNorm, base with bias"));
  add(Case("rbf_kan_layer", "spline_only")
          .normal("x", {4, 2})
          .values("grid", {5}, {-2.0, -1.0, 0.0, 1.0, 2.0})
          .normal("spline_weight", {3, 10}, 0.3)
          .attr("layer_norm", false)
          .attr("denominator", 1.0)
          .note("no LayerNorm, no base branch (use_base_update=False)"));
  add(Case("rbf_kan_layer", "leading_dims")
          .normal("x", {2, 2, 3})
          .values("grid", {4}, {-2.0, -2.0 + 4.0 / 3, 2.0 - 4.0 / 3, 2.0})
          .normal("spline_weight", {2, 12}, 0.3)
          .normal("base_weight", {2, 3}, 0.5)
          .in("norm_weight", {3}, 0.8, 1.2)
          .normal("norm_bias", {3}, 0.1)
          .attr("base_activation", "tanh")
          .note("x [2,2,3], base without bias, tanh base activation"));
}

namespace {
using namespace lathe;
using lathe::test::kan::max_abs_diff;
}  // namespace

TEST_CASE("FastKANLayer: grid, names, state dicts", "[unit][kan][module]") {
  nn::FastKANOptions o;
  o.dtype = DType::f64;
  nn::FastKANLayer a(3, 2, o), b(3, 2, o);
  CHECK(a.rbf->denominator == Approx(4.0 / 7.0));
  std::vector<double> g = a.rbf->grid.to_vector<double>();
  REQUIRE(g.size() == 8);
  CHECK(g.front() == -2.0);
  CHECK(g.back() == Approx(2.0));
  std::vector<std::string> keys;
  for (auto& [k, t] : a.state_dict()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"base_linear.bias", "base_linear.weight",
                                         "layernorm.bias", "layernorm.weight", "rbf.grid",
                                         "spline_linear.weight"});
  Tensor x = normal({4, 3}, 0.0, 1.0, DType::f64);
  b.load_state_dict(a.state_dict());
  CHECK(max_abs_diff(b.forward(x), a.forward(x)) == 0.0);
  CHECK(max_abs_diff(a.forward(x),
                     rbf_kan_layer(x, a.rbf->grid, a.spline_linear->weight,
                                   a.base_linear->weight, a.base_linear->bias,
                                   a.layernorm->weight, a.layernorm->bias, 4.0 / 7.0)) < 1e-15);
  o.use_base_update = false;
  o.use_layernorm = false;
  CHECK(nn::FastKANLayer(1, 2, o).state_dict().size() == 2);
  o.use_layernorm = true;
  CHECK_THROWS_WITH(nn::FastKANLayer(1, 2, o),
                    Catch::Contains("[FastKANLayer] a LayerNorm over one"));
}

TEST_CASE("rbf_kan_layer: bad inputs name the op", "[unit][kan][errors]") {
  Tensor x = zeros({2, 3}, DType::f64), grid = zeros({4}, DType::f64);
  CHECK_THROWS_WITH(rbf_kan_layer(x, grid, zeros({2, 11}, DType::f64)),
                    Catch::Contains("[rbf_kan_layer] spline_weight must be [out, in * n = 12]"));
  CHECK_THROWS_WITH(rbf_kan_layer(x, grid, zeros({2, 12}, DType::f64), Tensor(),
                                  zeros({2}, DType::f64)),
                    Catch::Contains("[rbf_kan_layer] base_bias given without base_weight"));
  CHECK_THROWS_WITH(rbf_kan_layer(x, grid, zeros({2, 12}, DType::f64), zeros({2, 2}, DType::f64)),
                    Catch::Contains("[rbf_kan_layer] base_weight must have shape [2, 3]"));
}
