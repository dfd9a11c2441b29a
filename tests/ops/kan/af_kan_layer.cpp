// Test cases for ops/kan/af_kan_layer.cpp and the AFKANLayer module: the batch-coupled
// normalization, constant features, the temperature clamp.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/kan/kan.h"
#include "tests/ops/kan/helpers.h"
#include "tests/support/cases.h"

using lathe::test::kan::phases;

namespace {
// AF-KAN's inputs for [batch, in] -> out with g + k = width phases; tau uniform in
// [tau_lo, tau_hi], by default above the clamp at 1.
lathe::test::Case af_case(const std::string& name, lathe::Shape x, int64_t out, int64_t g,
                          int64_t k, double tau_lo = 1.5, double tau_hi = 3.0) {
  int64_t in = x[1], width = g + k;
  return lathe::test::Case("af_kan_layer", name)
      .in("x", x)
      .values("low", {width}, phases(0, g, k, false, 0.02))
      .values("high", {width}, phases(0, g, k, true, 0.02))
      .in("temperature", {}, tau_lo, tau_hi)
      .in("attn_weight", {1, width})
      .in("attn_bias", {1})
      .in("norm_weight", {in}, 0.8, 1.2)
      .in("norm_bias", {in}, -0.1, 0.1)
      .in("base_weight", {out, in}, -1.0, 1.0);
}
}  // namespace

LATHE_CASES(af_kan_layer) {
  add(af_case("basic", {4, 3}, 2, 2, 1));
  add(af_case("default_grid", {3, 4}, 2, 5, 3));
  add(af_case("multistep", {4, 3}, 2, 2, 1).attr("method", "multistep"));
  add(af_case("no_func_norm_gelu", {3, 2}, 2, 2, 1)
          .attr("func_norm", false)
          .attr("activation", "gelu"));
  add(af_case("cubic1_tanh", {3, 2}, 2, 2, 1).attr("func", "cubic1").attr("activation", "tanh"));
  // tau in [0.2, 0.8] is clamped to 1: tau gets no gradient, and the clamp's kink is avoided.
  add(af_case("temperature_clamped", {3, 3}, 2, 2, 1, 0.2, 0.8));
}

namespace {
using namespace lathe;
using lathe::test::kan::all_finite;
using lathe::test::kan::f64;
using lathe::test::kan::max_abs_diff;
}  // namespace

TEST_CASE("af_kan_layer: the min-max couples the rows of a batch", "[unit][kan]") {
  nn::AFKANLayer layer(3, 2, 5, 3, {}, DType::f64);
  Tensor x = normal({4, 3}, 0.0, 1.0, DType::f64);
  Tensor full = layer.forward(x), alone = layer.forward(narrow(x, 0, 0, 1));
  CHECK(max_abs_diff(narrow(full, 0, 0, 1), alone) > 1e-6);
  // Without func_norm each row is independent.
  layer.options.func_norm = false;
  CHECK(max_abs_diff(narrow(layer.forward(x), 0, 0, 1), layer.forward(narrow(x, 0, 0, 1))) < 1e-14);
  // The gradient reaches other rows only through the arg-min / arg-max elements.
  layer.options.func_norm = true;
  Tensor xl = x.detach().requires_grad_();
  sum(narrow(layer.forward(xl), 0, 0, 1)).backward();
  CHECK(all_finite(xl.grad()));
}

TEST_CASE("af_kan_layer: constant features normalize to 0, not NaN", "[unit][kan]") {
  // ReLU with every input far outside the phases: f is all 0, the reference divides 0 by 0.
  AFKANOptions o;
  o.activation = "relu";
  nn::AFKANLayer layer(3, 2, 2, 1, o, DType::f64);
  Tensor x = f64({5.0, -4.0, 6.0, 7.0, 8.0, -5.0}, {2, 3}).requires_grad_();
  Tensor y = layer.forward(x);
  CHECK(all_finite(y));
  sum(y).backward();
  CHECK(max(abs(x.grad())).item() == 0.0);
  CHECK(all_finite(layer.norm->bias.grad()));
}

TEST_CASE("AFKANLayer: initialization, temperature clamp, state dicts", "[unit][kan][module]") {
  nn::AFKANLayer a(4, 3, 5, 3, {}, DType::f64), b(4, 3, 5, 3, {}, DType::f64);
  CHECK(a.temperature.item() == 2.0);  // sqrt(in)
  CHECK(a.phase_low.shape() == Shape{8});
  CHECK(max(abs(a.base_weight)).item() <= 0.5);  // kaiming_uniform(a = sqrt 5), fan_in 4
  std::vector<std::string> names;
  for (auto& [n, t] : a.named_parameters()) names.push_back(n);
  CHECK(names == std::vector<std::string>{"phase_low", "phase_high", "temperature", "base_weight",
                                          "gk_linear.weight", "gk_linear.bias", "norm.weight",
                                          "norm.bias"});
  Tensor x = normal({5, 4}, 0.0, 1.0, DType::f64);
  b.load_state_dict(a.state_dict());
  CHECK(max_abs_diff(b.forward(x), a.forward(x)) == 0.0);
  {
    NoGradGuard no_grad;
    a.temperature.fill_(0.5);
  }
  sum(a.forward(x)).backward();
  CHECK(a.temperature.grad().item() == 0.0);  // clamp(tau, min = 1) holds it at 1
}

TEST_CASE("af_kan_layer: bad inputs name the op", "[unit][kan][errors]") {
  nn::AFKANLayer layer(3, 2, 2, 1, {}, DType::f64);
  auto run = [&](const Tensor& x, AFKANOptions o) {
    return af_kan_layer(x, layer.phase_low, layer.phase_high, layer.temperature,
                        layer.gk_linear->weight, layer.gk_linear->bias, layer.norm->weight,
                        layer.norm->bias, layer.base_weight, o);
  };
  Tensor x = zeros({2, 3}, DType::f64);
  CHECK_THROWS_WITH(run(zeros({2, 2, 3}, DType::f64), {}),
                    Catch::Contains("[af_kan_layer] x must be [B, in]"));
  AFKANOptions o;
  o.func = "quad3";
  CHECK_THROWS_WITH(run(x, o), Catch::Contains("[af_kan_layer] unknown func 'quad3'"));
  o = {};
  o.method = "self_attn";
  CHECK_THROWS_WITH(run(x, o), Catch::Contains("[af_kan_layer] method must be"));
  o = {};
  o.activation = "mish";
  CHECK_THROWS_WITH(run(x, o), Catch::Contains("[af_kan_layer] unknown activation 'mish'"));
  CHECK_THROWS_WITH(run(zeros({2, 4}, DType::f64), {}),
                    Catch::Contains("[af_kan_layer] base_weight must be [out, in = 4]"));
}
