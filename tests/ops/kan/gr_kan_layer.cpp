// Test cases for ops/kan/gr_kan_layer.cpp and the GRKANLayer module.
#include <catch2/catch.hpp>

#include "models/kan/kan.h"
#include "tests/ops/kan/helpers.h"
#include "tests/support/cases.h"

LATHE_CASES(gr_kan_layer) {
  add(Case("gr_kan_layer")
          .away("x", {2, 3, 8}, 0.2, 1.5)
          .in("numerator", {2, 6}, -0.5, 0.5)
          .away("denominator", {2, 4}, 0.05, 0.5)
          .normal("weight", {4, 8}, 0.4)
          .normal("bias", {4})
          .note("x [2,3,8] -> [2,3,4], 2 groups, bias"));
  add(Case("gr_kan_layer", "shared_numerator")
          .away("x", {2, 3, 8}, 0.2, 1.5)
          .in("numerator", {1, 6}, -0.5, 0.5)
          .away("denominator", {2, 4}, 0.05, 0.5)
          .in("weight", {4, 8})
          .in("bias", {4})
          .oracle_only("basic gradchecks the same path")
          .note("x [2,3,8] -> [2,3,4], numerator shared by 2 groups"));
  add(Case("gr_kan_layer", "kernel_no_bias")
          .away("x", {3, 8}, 0.2, 1.5)
          .in("numerator", {4, 6}, -0.5, 0.5)
          .away("denominator", {4, 4}, 0.05, 0.5)
          .in("weight", {2, 8})
          .attr("variant", "kernel")
          .note("x [3,8] -> [3,2], 4 groups, kernel variant, no bias"));
  add(Case("gr_kan_layer", "torch_ref")
          .away("x", {3, 4}, 0.2, 1.0)
          .in("numerator", {2, 6}, -0.5, 0.5)
          .away("denominator", {2, 4}, 0.01, 0.05)
          .normal("weight", {2, 4}, 0.4)
          .normal("bias", {2})
          .attr("variant", "torch_ref")
          .note("torch_ref variant with small denominators (no poles)"));
  add(Case("gr_kan_layer", "identity")
          .normal("x", {2, 8})
          .values("numerator", {1, 6}, {0.0, 1.0, 0.0, 0.0, 0.0, 0.0})
          .values("denominator", {4, 4}, std::vector<double>(16, 0.0))
          .normal("weight", {3, 8}, 0.4)
          .normal("bias", {3})
          .at_kink("b = 0 sits on abs's kink")
          .note("identity init: exactly linear(x, W, b); b = 0 sits on abs's kink"));
}

namespace {
using namespace lathe;
using lathe::test::kan::max_abs_diff;
}  // namespace

TEST_CASE("GRKANLayer: identity init is exactly the linear layer", "[unit][kan][module]") {
  nn::GRKANLayer layer(8, 3, 4, "identity", "paper", true, DType::f64);
  Tensor x = normal({2, 5, 8}, 0.0, 2.0, DType::f64);
  CHECK(max_abs_diff(layer.forward(x), linear(x, layer.fc->weight, layer.fc->bias)) == 0.0);
  std::vector<std::string> names;
  for (auto& [n, t] : layer.named_parameters()) names.push_back(n);
  CHECK(names == std::vector<std::string>{"act.weight_numerator", "act.weight_denominator",
                                          "fc.weight", "fc.bias"});
  nn::GRKANLayer other(8, 3, 4, "gelu", "paper", true, DType::f64);
  other.load_state_dict(layer.state_dict());
  CHECK(max_abs_diff(other.forward(x), layer.forward(x)) == 0.0);
}

TEST_CASE("gr_kan_layer and GRKANLayer: bad inputs name the op", "[unit][kan][errors]") {
  Tensor x = zeros({2, 8}, DType::f64);
  Tensor a = zeros({1, 6}, DType::f64), b = zeros({2, 4}, DType::f64);
  CHECK_THROWS_WITH(gr_kan_layer(x, a, b, zeros({3, 6}, DType::f64)),
                    Catch::Contains("[gr_kan_layer] weight must be [out, D = 8]"));
  CHECK_THROWS_WITH(gr_kan_layer(x, a, b, zeros({3, 8}, DType::f64), zeros({2}, DType::f64)),
                    Catch::Contains("[gr_kan_layer] bias must have shape [3]"));
  CHECK_THROWS_WITH(gr_kan_layer(x, a, zeros({3, 4}, DType::f64), zeros({3, 8}, DType::f64)),
                    Catch::Contains("[gr_kan_layer] the last dim of x [2, 8] must split into "
                                    "the 3"));
  CHECK_THROWS_WITH(nn::GRKANLayer(6, 2, 4), Catch::Contains("[GRKANLayer] in_features 6"));
  CHECK_THROWS_WITH(nn::GRKANLayer(6, 2, 0), Catch::Contains("[GRKANLayer]"));
}
