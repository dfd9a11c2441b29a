// Test cases for ops/kan/af_kan_layer.cpp and the AFKANLayer module: every func, method and
// activation, the batch-coupled normalization, constant features, the temperature clamp.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "models/kan/kan.h"
#include "tests/ops/kan/helpers.h"
#include "tests/support/cases.h"

using lathe::test::kan::phases;

namespace {
// AF-KAN's inputs for [batch, in] -> out with g + k = width phases (jittered by at most 0.02),
// temperature tau, x standard normal unless given; the weights as an initialized layer holds
// them.
lathe::test::Case af_case(const std::string& name, lathe::Shape x, int64_t out = 2, int64_t g = 2,
                          int64_t k = 1, double tau = 2.0, std::vector<double> x_values = {}) {
  int64_t in = x[1], width = g + k;
  lathe::test::Case c("af_kan_layer", name);
  if (x_values.empty())
    c.normal("x", x);
  else
    c.values("x", x, x_values);
  return c
      .values("low", {width}, phases(0, g, k, false, 0.02))
      .values("high", {width}, phases(0, g, k, true, 0.02))
      .values("temperature", {}, {tau})
      .normal("attn_weight", {1, width})
      .normal("attn_bias", {1})
      .in("norm_weight", {in}, 0.8, 1.2)
      .normal("norm_bias", {in}, 0.1)
      .normal("base_weight", {out, in}, 0.5);
}

// [3, 2] inputs at least 0.08 from every kink of the g 2, k 1 phases (multiples of 0.5, moved
// by at most 0.02): ReLU-like activations stay smooth where the oracle samples them.
const std::vector<double> kOffKinks = {-1.1, -0.3, 0.2, 0.7, 1.15, -0.8};

// [3, 2] inputs inside the supports: cubic2's (x1 x2)^3 of standard normal inputs leaves rows
// whose features are all near 0, and the layer norm over in = 2 then amplifies f32 rounding
// past the f32 tolerance (conformance, oracle).
const std::vector<double> kInside = {0.3, -0.2, 0.6, 0.1, -0.4, 0.9};

// The composition's backward is the primitives': one more func or activation adds a branch of
// the forward for the oracle, nothing for gradcheck.
const char* kVariant = "another func or activation: the same primitives' backward";
}  // namespace

LATHE_CASES(af_kan_layer) {
  add(af_case("basic", {4, 3})
          .note("[4,3] -> [4,2], g 2, k 1, SiLU, quad1, global attention, tau 2"));
  add(af_case("default_grid", {3, 4}, 2, 5, 3)
          .note("g 5, k 3 (the paper's defaults), tau sqrt(in) = 2"));
  add(af_case("temperature_clamped", {4, 3}, 2, 2, 1, 0.5)
          .note("tau 0.5 is clamped to 1: no gradient reaches tau"));
  add(af_case("batch_of_one", {1, 3})
          .note("B = 1: the min-max sees only this row")
          .oracle_only("the min-max over one row is the basic case's backward"));
  add(af_case("multistep", {4, 3})
          .attr("method", "multistep")
          .note("method multistep: h = f w_attn + b_attn (no attention)"));
  add(af_case("no_func_norm", {4, 3})
          .attr("func_norm", false)
          .note("func_norm false: no batch coupling")
          .oracle_only("no_func_norm_gelu gradchecks this path"));
  add(af_case("no_func_norm_gelu", {3, 2})
          .attr("func_norm", false)
          .attr("activation", "gelu")
          .note("func_norm false with GELU"));
  add(af_case("cubic1_tanh", {3, 2})
          .attr("func", "cubic1")
          .attr("activation", "tanh")
          .note("func cubic1 with tanh"));
  add(af_case("constant_features", {2, 3}, 2, 2, 1, 2.0, {5.0, -4.0, 6.0, 7.0, 8.0, -5.0})
          .attr("activation", "relu")
          .note("relu, x far outside every support: features all 0 (reference 0/0); "
                "normalized to 0"));
  for (std::string func : {"quad2", "sum", "prod", "sum_prod", "cubic1", "cubic2"})
    add(af_case("func_" + func, {3, 2}, 2, 2, 1, 2.0,
                func == "cubic2" ? kInside : std::vector<double>{})
            .attr("func", func)
            .note("func " + func)
            .oracle_only(kVariant));
  for (const char* act :
       {"relu", "leaky_relu", "elu", "selu", "gelu", "tanh", "sigmoid", "softplus"})
    add(af_case(std::string("act_") + act, {3, 2}, 2, 2, 1, 2.0, kOffKinks)
            .attr("activation", act)
            .note(std::string("activation ") + act + ", inputs off the kinks at the phases")
            .oracle_only(kVariant));
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
