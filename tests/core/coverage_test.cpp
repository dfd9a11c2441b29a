// Every registered op must be covered: cases for gradcheck (when it is differentiable and its
// backward is the true derivative) and conformance, and a PyTorch oracle fixture unless every
// case of the op says no_oracle(why). A new op without tests fails here. Ops with a custom
// backward are checked against their reference algorithm by their own tests instead of finite
// differences. Also: the case builder's generators, and the case list as the oracle reads it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

TEST_CASE("every registered op has test cases and oracle fixtures", "[unit][coverage]") {
  for (const OpDef* def : op_registry().all()) {
    INFO("op " << def->name());
    std::vector<const Case*> cases = cases_for(def->name());
    CHECK_FALSE(cases.empty());
    if (def->differentiable() && def->custom_backward_note().empty()) {
      bool first = false, second = false;
      for (const Case* c : cases) {
        first = first || c->gradcheck;
        second = second || c->second_order;
      }
      INFO("differentiable ops need a first- and a second-order gradcheck case");
      CHECK(first);
      CHECK(second);
    }
    // An op whose cases all say no_oracle(why) has no PyTorch counterpart (to_device).
    bool oracle = std::any_of(cases.begin(), cases.end(), [](const Case* c) { return c->oracle; });
    INFO("ops with oracle cases need tests/fixtures/oracle/<op>.safetensors: "
         "/usr/bin/python3 tools/oracle/oracle.py --only " << def->name());
    if (oracle) CHECK_FALSE(oracle_fixture(def->name()).empty());
  }
}

TEST_CASE("every case names a registered op and its inputs", "[unit][coverage]") {
  for (const Case& c : all_cases()) {
    INFO("case " << c.op << "/" << c.name);
    const OpDef* def = op_registry().find(c.op);
    REQUIRE(def != nullptr);
    std::map<std::string, int> uses;
    for (const InputSpec& s : c.inputs) ++uses[s.name];
    for (const auto& [name, n] : uses) {
      INFO("input " << name);
      int i = def->input_index(name);
      REQUIRE(i >= 0);
      CHECK((n == 1 || def->inputs()[i].variadic));  // a repeated name means a variadic input
    }
  }
}

TEST_CASE("cases that skip a check say why", "[unit][coverage]") {
  for (const Case& c : all_cases()) {
    INFO("case " << c.op << "/" << c.name);
    if (!c.gradcheck || !c.second_order) CHECK_FALSE(c.why_not.empty());
    if (!c.oracle) CHECK_FALSE(c.why_no_oracle.empty());
    if (!c.oracle_f32) CHECK_FALSE(c.why_no_f32.empty());
  }
}

TEST_CASE("case generators: normal, on_grid, small_ints, probs", "[unit][coverage]") {
  Case c("add", "generators");
  c.normal("a", {200}, 3.0).on_grid("b", {200}).on_grid("b", {200}, true)
      .small_ints("b", {50}, -1, 2).probs("b", {4, 5});
  auto in = make_inputs(c, Device::reference(), DType::f64, Layout::contiguous);
  std::vector<double> n = in["a"][0].to_vector<double>();
  double mean = 0, var = 0;
  for (double v : n) mean += v / n.size();
  for (double v : n) var += (v - mean) * (v - mean) / n.size();
  CHECK(std::fabs(mean) < 0.6);
  CHECK(std::sqrt(var) == Approx(3.0).epsilon(0.2));
  // integer grid and half-integer grid: any value of one is >= 0.1 from any value of the other
  for (double a : in["b"][0].to_vector<double>())
    for (double b : in["b"][1].to_vector<double>()) CHECK(std::fabs(a - b) >= 0.1);
  for (double v : in["b"][2].to_vector<double>()) {
    CHECK(v == std::floor(v));
    CHECK((v >= -1 && v <= 1));
  }
  std::vector<double> p = in["b"][3].to_vector<double>();
  for (int r = 0; r < 4; ++r) {
    double total = 0;
    for (int j = 0; j < 5; ++j) total += p[r * 5 + j];
    CHECK(total == Approx(1.0).margin(1e-15));
  }
}

TEST_CASE("the case list prints exact inputs, seeds and flags", "[unit][coverage]") {
  std::ostringstream os;
  print_cases_json(os, "clamp");
  nlohmann::json cases = nlohmann::json::parse(os.str())["cases"];
  REQUIRE(cases.size() == cases_for("clamp").size());
  for (const nlohmann::json& j : cases) {
    INFO("case " << j["name"]);
    const Case* c = nullptr;
    for (const Case* k : cases_for("clamp"))
      if (k->name == j["name"]) c = k;
    REQUIRE(c != nullptr);
    CHECK(j["gradcheck"] == c->gradcheck);
    CHECK(j["kink"] == c->kink);
    CHECK(j["rtol"].get<double>() == c->oracle_rtol);
    auto in = make_inputs(*c, Device::reference(), DType::f64, Layout::contiguous);
    REQUIRE(j["inputs"].size() == 1);
    CHECK(j["inputs"][0]["shape"] == nlohmann::json(in["x"][0].shape().vec()));
    CHECK(j["inputs"][0]["values"].get<std::vector<double>>() == in["x"][0].to_vector<double>());
    CHECK(static_cast<int64_t>(j["seeds"]["y"]["values"].size()) == in["x"][0].numel());
    if (j["name"] == "mixed")
      CHECK(j["inputs"][0]["values"][0].get<double>() == -1.2);
    if (j["name"] == "at_bounds") CHECK(j["kink"] == true);
  }
}
