// The op registry: metadata, running ops by name, and the errors of a bad call.
#include <catch2/catch.hpp>

#include "lathe.h"
#include "ops/prim/prim.h"

using namespace lathe;

TEST_CASE("every primitive of ops.def is registered as a prim", "[unit][registry]") {
  for (const char* name : kPrimNames) {
    INFO(name);
    const OpDef* def = op_registry().find(name);
    REQUIRE(def != nullptr);
    CHECK(def->family() == "prim");
  }
}

TEST_CASE("ops carry their metadata", "[unit][registry]") {
  const OpDef& sp = op_registry().get("softplus");
  CHECK(sp.inputs().size() == 1);
  CHECK(sp.inputs()[0].differentiable);
  REQUIRE(sp.attrs().size() == 2);
  CHECK(sp.attrs()[0].name == "beta");
  CHECK(std::get<double>(sp.attrs()[0].default_value) == 1.0);
  const OpDef& sort_def = op_registry().get("sort");
  CHECK(sort_def.outputs().size() == 2);
  CHECK(sort_def.outputs()[1].kind == Kind::integer);
  CHECK(op_registry().get("linear").inputs()[2].optional);
  CHECK(op_registry().get("concat").inputs()[0].variadic);
  CHECK_FALSE(op_registry().get("eq").differentiable());
}

TEST_CASE("run_op runs an op by name with defaults and parsed attributes", "[unit][registry]") {
  const OpDef& def = op_registry().get("softplus");
  Tensor x = from_vector(std::vector<double>{0.0, 30.0}, {2});
  Outputs y = run_op(def, {{"x", {x}}});
  CHECK(y[0].to_vector<double>()[0] == Approx(std::log(2.0)));
  CHECK(y[0].to_vector<double>()[1] == 30.0);
  Outputs y2 = run_op(def, {{"x", {x}}}, {{"beta", parse_attr(def, "beta", "2")}});
  CHECK(y2[0].to_vector<double>()[0] == Approx(std::log(2.0) / 2));
  CHECK(std::get<std::vector<int64_t>>(parse_attr(op_registry().get("sum"), "axes", "[0, 2]")) ==
        std::vector<int64_t>{0, 2});
  CHECK(std::get<bool>(parse_attr(op_registry().get("sum"), "keepdim", "true")));
}

TEST_CASE("bad calls name the op and the problem", "[unit][registry][errors]") {
  const OpDef& def = op_registry().get("softplus");
  Tensor x = zeros({2});
  CHECK_THROWS_WITH(op_registry().get("softplux"),
                    Catch::Contains("unknown op 'softplux'") && Catch::Contains("softplus"));
  CHECK_THROWS_WITH(run_op(def, {}), Catch::Contains("[softplus] missing input 'x'"));
  CHECK_THROWS_WITH(run_op(def, {{"x", {x}}, {"y", {x}}}),
                    Catch::Contains("[softplus] unknown input 'y'"));
  CHECK_THROWS_WITH(run_op(def, {{"x", {x, x}}}), Catch::Contains("takes one tensor"));
  CHECK_THROWS_WITH(run_op(def, {{"x", {arange(2)}}}),
                    Catch::Contains("expects a float tensor, got i64"));
  CHECK_THROWS_WITH(run_op(def, {{"x", {x}}}, {{"gamma", 1.0}}),
                    Catch::Contains("[softplus] unknown attribute 'gamma'"));
  CHECK_THROWS_WITH(run_op(def, {{"x", {x}}}, {{"beta", std::string("big")}}),
                    Catch::Contains("attribute 'beta' expects float"));
  CHECK_THROWS_WITH(parse_attr(def, "beta", "two"), Catch::Contains("expects float, got 'two'"));
}
