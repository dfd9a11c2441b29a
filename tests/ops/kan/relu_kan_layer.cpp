// Test cases for ops/kan/relu_kan_layer.cpp and the ReLUKANLayer module.
#include <catch2/catch.hpp>

#include "models/kan/kan.h"
#include "tests/ops/kan/helpers.h"
#include "tests/support/cases.h"

using lathe::test::kan::phases;

LATHE_CASES(relu_kan_layer) {
  add(Case("relu_kan_layer")
          .in("x", {3, 4})
          .values("low", {4, 3}, phases(4, 2, 1, false, 0.01))
          .values("high", {4, 3}, phases(4, 2, 1, true, 0.01))
          .in("weight", {2, 12}, -0.5, 0.5)
          .in("bias", {2})
          .in("norm_weight", {4}, 0.8, 1.2)
          .in("norm_bias", {4}, -0.1, 0.1)
          .attr("g", 2)
          .attr("k", 1)
          .note("[3,4] -> [3,2], g 2, k 1, LayerNorm with affine, bias"));
  // x off the phases (multiples of 1/3 by at least 0.1)
  add(Case("relu_kan_layer", "no_norm")
          .values("x", {4, 2}, {0.1, 0.55, 0.85, -0.2, 1.2, 0.45, -0.45, 0.2})
          .values("low", {2, 5}, phases(2, 3, 2, false, 0.01))
          .values("high", {2, 5}, phases(2, 3, 2, true, 0.01))
          .normal("weight", {3, 10}, 0.5)
          .attr("g", 3)
          .attr("k", 2)
          .attr("layer_norm", false)
          .note("layer_norm false (quiqi/relu_kan's layer), no bias, g 3 k 2"));
  add(Case("relu_kan_layer", "no_norm_shared")
          .values("x", {2, 2}, {0.1, 0.55, 0.85, -0.2})
          .values("low", {5}, phases(0, 3, 2, false, 0.01))
          .values("high", {5}, phases(0, 3, 2, true, 0.01))
          .in("weight", {3, 10}, -0.5, 0.5)
          .attr("g", 3)
          .attr("k", 2)
          .attr("layer_norm", false)
          .note("layer_norm false, phases shared by the features"));
  add(Case("relu_kan_layer", "constant_row")
          .values("x", {3, 3}, {0.3, 0.3, 0.3, 0.2, -1.1, 0.9, 1.5, 0.1, -0.4})
          .values("low", {3, 3}, phases(3, 2, 1, false, 0.01))
          .values("high", {3, 3}, phases(3, 2, 1, true, 0.01))
          .normal("weight", {2, 9}, 0.5)
          .normal("bias", {2})
          .in("norm_weight", {3}, 0.8, 1.2)
          .normal("norm_bias", {3}, 0.1)
          .attr("g", 2)
          .attr("k", 1)
          .oracle_only("the eps path of the LayerNorm: the values are the point")
          .note("a constant input row normalizes to 0, then the norm bias"));
  add(Case("relu_kan_layer", "leading_dims_no_affine")
          .in("x", {2, 2, 3})
          .values("low", {3, 3}, phases(3, 2, 1, false, 0.01))
          .values("high", {3, 3}, phases(3, 2, 1, true, 0.01))
          .in("weight", {2, 9}, -0.5, 0.5)
          .attr("g", 2)
          .attr("k", 1)
          .note("LayerNorm without weight and bias, leading dims [2,2,3], no bias"));
  add(Case("relu_kan_layer", "no_affine")
          .normal("x", {2, 2, 3})
          .values("low", {3, 3}, phases(3, 2, 1, false, 0.01))
          .values("high", {3, 3}, phases(3, 2, 1, true, 0.01))
          .normal("weight", {2, 9}, 0.5)
          .normal("bias", {2})
          .attr("g", 2)
          .attr("k", 1)
          .oracle_only("leading_dims_no_affine gradchecks the same path")
          .note("LayerNorm without weight and bias, leading dims [2,2,3]"));
}

namespace {
using namespace lathe;
using lathe::test::kan::all_finite;
using lathe::test::kan::f64;
using lathe::test::kan::max_abs_diff;
}  // namespace

TEST_CASE("relu_kan_layer equals the reference's conv over reshaped (not permuted) bases",
          "[unit][kan]") {
  // All-KAN reshapes the bases [B, in, g + k] to [B, 1, g + k, in] and applies a Conv2d with a
  // (g + k, in) kernel: out[b, o] = bias[o] + sum_{r, c} W4[o, 0, r, c] X4[b, 0, r, c].
  int64_t batch = 3, in = 4, g = 2, k = 1, out = 2;
  nn::ReLUKANLayer layer(in, out, g, k, true, DType::f64);
  Tensor x = normal({batch, in}, 0.0, 1.0, DType::f64);
  Tensor h = (x - mean(x, {-1}, true)) *
             rsqrt(mean(pow(x - mean(x, {-1}, true), 2.0), {-1}, true) + 1e-5);
  Tensor x4 = reshape(relu_kan_basis(h, layer.phase_low, layer.phase_high, g, k),
                      {batch, 1, 1, g + k, in});
  Tensor w4 = reshape(layer.fc->weight, {1, out, 1, g + k, in});
  Tensor conv = sum(x4 * w4, {2, 3, 4}) + layer.fc->bias;                 // [B, out]
  CHECK(max_abs_diff(layer.forward(x), conv) < 1e-13);
}

TEST_CASE("ReLUKANLayer: constant rows, state dicts, names", "[unit][kan][module]") {
  nn::ReLUKANLayer a(3, 2, 5, 3, true, DType::f64), b(3, 2, 5, 3, true, DType::f64);
  Tensor x = f64({0.7, 0.7, 0.7, 0.1, -1.0, 2.0}, {2, 3});
  Tensor y = a.forward(x);
  CHECK(all_finite(y));
  std::vector<std::string> names;
  for (auto& [n, t] : a.named_parameters()) names.push_back(n);
  CHECK(names == std::vector<std::string>{"phase_low", "phase_high", "norm.weight", "norm.bias",
                                          "fc.weight", "fc.bias"});
  CHECK(a.phase_low.shape() == Shape{3, 8});
  CHECK(a.fc->weight.shape() == Shape{2, 24});
  b.load_state_dict(a.state_dict());
  CHECK(max_abs_diff(b.forward(x), y) == 0.0);
  nn::ReLUKANLayer plain(3, 2, 5, 3, false, DType::f64);
  CHECK(plain.state_dict().size() == 4);
}

TEST_CASE("relu_kan_layer: bad inputs name the op", "[unit][kan][errors]") {
  Tensor x = zeros({2, 3}, DType::f64), low = f64(phases(3, 2, 1, false), {3, 3});
  Tensor high = f64(phases(3, 2, 1, true), {3, 3}), w = zeros({2, 9}, DType::f64);
  CHECK_THROWS_WITH(relu_kan_layer(x, low, high, zeros({2, 8}, DType::f64), Tensor(), Tensor(),
                                   Tensor(), 2, 1),
                    Catch::Contains("[relu_kan_layer] weight must be [out, in * (g + k) = 9]"));
  CHECK_THROWS_WITH(relu_kan_layer(x, low, high, w, Tensor(), ones({3}, DType::f64), Tensor(), 2,
                                   1, false),
                    Catch::Contains("[relu_kan_layer] norm_weight/norm_bias given with "
                                    "layer_norm = false"));
  CHECK_THROWS_WITH(relu_kan_layer(x, low, high, w, Tensor(), ones({2}, DType::f64), Tensor(), 2,
                                   1),
                    Catch::Contains("[relu_kan_layer] norm_weight must have shape [3]"));
}
