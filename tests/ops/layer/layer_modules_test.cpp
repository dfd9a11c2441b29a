// The layer family's modules against PyTorch modules with the reference implementations'
// parameter names (tools/oracle/layer_modules.py, tests/fixtures/models/layers.safetensors):
// the PyTorch state dict loads (strict) into HyperbolicMLR, SlotAttention and S4D, and the
// outputs and the gradients to the input and to every parameter match.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "lathe.h"
#include "models/layer/layer.h"
#include "tests/support/fixture_group.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

namespace {

const FixtureCase& fixture_case(const std::string& name) {
  static const std::vector<FixtureCase> cases = load_fixture_group(
      std::string(LATHE_SOURCE_DIR) + "/tests/fixtures/models/layers.safetensors");
  for (const FixtureCase& c : cases)
    if (c.name == name) return c;
  throw Error("[test] layers.safetensors has no case " + name);
}

// Loads the case's state dict into `module`, runs it, checks output and gradients.
void check_module(const std::string& name, nn::Layer& module, double atol, double rtol) {
  const FixtureCase& c = fixture_case(name);
  nn::StateDict state;
  const std::string prefix = "param.";
  for (const auto& [key, t] : c.tensors)
    if (key.compare(0, prefix.size(), prefix) == 0)
      state[key.substr(prefix.size())] = t.to(default_device()).clone();
  REQUIRE(state.size() == module.named_parameters().size());
  module.load_state_dict(state);  // strict: the reference's keys are exactly the module's
  Tensor x = c.at("in.x").to(default_device()).clone().requires_grad_();
  Tensor y = module(x);
  CHECK(compare(y, c.at("out.y"), atol, rtol) == "");
  y.backward(c.at("seed.y").to(default_device()));
  CHECK(compare(x.grad(), c.at("grad.x"), atol, rtol) == "");
  for (const auto& [key, p] : module.named_parameters()) {
    INFO("gradient of " << key);
    CHECK(compare(p.grad(), c.at("grad." + key), atol, rtol) == "");
  }
}

}  // namespace

TEST_CASE("HyperbolicMLR loads Hyp-OC's state dict and matches it", "[unit][layer]") {
  nn::HyperbolicMLR head(5, 3, 0.1, DType::f64);
  check_module("hyperbolic_mlr", head, 1e-12, 1e-10);
}

TEST_CASE("SlotAttention loads Slot-TTA's state dict and matches it", "[unit][layer]") {
  nn::SlotAttention slots(3, 4, 3, 1e-8, 4, DType::f64);
  check_module("slot_attention", slots, 1e-12, 1e-10);
}

TEST_CASE("S4D loads s4d.py's state dict and matches it", "[unit][layer]") {
  nn::S4D layer(3, 8, 1e-3, 1e-1, DType::f64);
  check_module("s4d", layer, 1e-12, 1e-10);
}
