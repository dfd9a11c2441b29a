// Every registered op must be covered: cases for gradcheck (when it is differentiable and its
// backward is the true derivative) and conformance, and PyTorch oracle fixtures. A new op
// without tests fails here. Ops with a custom backward are checked against their reference
// algorithm by their own tests instead of finite differences.
#include <catch2/catch.hpp>

#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

namespace {
// Ops that cannot have a PyTorch fixture, with the reason and where they are tested instead.
const std::map<std::string, std::string> kNoOracle = {
    {"to_device", "moves data between lathe backends; covered by conformance and unit tests"},
};
}  // namespace

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
    if (!kNoOracle.count(def->name())) CHECK_FALSE(oracle_fixture(def->name()).empty());
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
