// The op schema: every attribute has a doc, and options bindings read their defaults from the
// options struct, fill it per call and pass it to a generated run function.
#include <catch2/catch.hpp>

#include "lathe.h"

using namespace lathe;

TEST_CASE("every attribute of every registered op has a doc", "[unit][registry]") {
  for (const OpDef* d : op_registry().all())
    for (const AttrDef& a : d->attrs()) {
      INFO(d->name() << "." << a.name);
      CHECK(!a.doc.empty());
      CHECK(a.doc.find('\n') == std::string::npos);
    }
}

namespace {
struct ToyOptions {
  Tensor weight;
  int64_t count = 3;
  int small = -2;
  double scale = 0.25;
  bool flag = true;
  std::string mode = "mean";
  std::vector<int64_t> axes{1, 2};
};

// y = x * scale * count + small (+ sum(weight)); the options reach the op through the binding.
Tensor toy(const Tensor& x, const ToyOptions& o) {
  LATHE_CHECK(o.mode == "mean" || o.mode == "sum", "[toy] bad mode ", o.mode);
  LATHE_CHECK(o.axes.size() == 2, "[toy] axes");
  Tensor y = x * (o.scale * static_cast<double>(o.count)) + static_cast<double>(o.small);
  if (o.weight.defined()) y = y + sum(o.weight);
  return o.flag ? y : -y;
}

OpDef toy_def() {
  return OpDef("toy", "test")
      .input("x")
      .options<ToyOptions>()
      .input("weight", &ToyOptions::weight, Kind::floating, kOptional)
      .attr("count", &ToyOptions::count, "an int64_t member")
      .attr("small", &ToyOptions::small, "an int member")
      .attr("scale", &ToyOptions::scale, "a double member")
      .attr("flag", &ToyOptions::flag, "a bool member")
      .attr("mode", &ToyOptions::mode, "a string member")
      .attr("axes", &ToyOptions::axes, "an ints member")
      .output("y")
      .run(toy);
}
}  // namespace

TEST_CASE("an options binding reads defaults from the struct and fills it per call",
          "[unit][registry]") {
  OpDef def = toy_def();
  REQUIRE(def.attrs().size() == 6);
  CHECK(def.attrs()[0].type == AttrType::integer);
  CHECK(std::get<int64_t>(def.attrs()[0].default_value) == 3);
  CHECK(def.attrs()[1].type == AttrType::integer);
  CHECK(std::get<int64_t>(def.attrs()[1].default_value) == -2);
  CHECK(std::get<double>(def.attrs()[2].default_value) == 0.25);
  CHECK(std::get<bool>(def.attrs()[3].default_value));
  CHECK(std::get<std::string>(def.attrs()[4].default_value) == "mean");
  CHECK(std::get<std::vector<int64_t>>(def.attrs()[5].default_value) ==
        std::vector<int64_t>{1, 2});
  CHECK(def.inputs()[1].in_options);
  CHECK_FALSE(def.inputs()[0].in_options);

  Tensor x = from_vector(std::vector<double>{1.0, 2.0}, {2});
  // defaults: x * 0.75 - 2
  CHECK(run_op(def, {{"x", {x}}})[0].to_vector<double>() == std::vector<double>{-1.25, -0.5});
  Tensor w = from_vector(std::vector<double>{10.0, 20.0}, {2});
  Outputs y = run_op(def, {{"x", {x}}, {"weight", {w}}},
                     {{"count", int64_t{2}}, {"small", int64_t{1}}, {"scale", 0.5},
                      {"flag", false}, {"mode", std::string("sum")}});
  CHECK(y[0].to_vector<double>() == std::vector<double>{-32.0, -33.0});  // -(x + 1 + 30)
  CHECK_THROWS_WITH(run_op(def, {{"x", {x}}}, {{"mode", std::string("max")}}),
                    Catch::Contains("[toy] bad mode max"));
}

TEST_CASE("the registry refuses a bad schema", "[unit][registry][errors]") {
  OpDef no_doc = OpDef("nodoc", "test").input("x").attr("k", 1, "").output("y").run(
      [](const OpCall& c) { return Outputs{c.in("x")}; });
  OpRegistry registry;
  CHECK_THROWS_WITH(registry.add(no_doc), Catch::Contains("attribute 'k' has no doc"));
  // the run function's tensors must match the declared inputs
  CHECK_THROWS_WITH(OpDef("toy", "test").input("x").input("z").options<ToyOptions>().run(toy),
                    Catch::Contains("run(fn) expects fn(2 tensors, const Options&)"));
  // a member bound before options<T>() or of another struct
  CHECK_THROWS_WITH(OpDef("toy", "test").attr("count", &ToyOptions::count, "doc"),
                    Catch::Contains("before declaring options<T>()"));
  CHECK_THROWS_WITH(
      OpDef("toy", "test").options<KdOptions>().attr("count", &ToyOptions::count, "doc"),
      Catch::Contains("another struct"));
}

TEST_CASE("ops moved onto options bindings keep their schema", "[unit][registry]") {
  const OpDef& kd = op_registry().get("kd_kl_loss");
  REQUIRE(kd.inputs().size() == 3);
  CHECK(kd.inputs()[2].name == "labels");
  CHECK(kd.inputs()[2].optional);
  CHECK(kd.inputs()[2].in_options);
  CHECK(std::get<double>(kd.attrs()[kd.attr_index("temperature")].default_value) ==
        KdOptions{}.temperature);
  const OpDef& ce = op_registry().get("cross_entropy");
  CHECK(std::get<int64_t>(ce.attrs()[ce.attr_index("ignore_index")].default_value) == -100);
  CHECK(ce.inputs()[ce.input_index("weight")].in_options);
  // the generated run function passes attributes through the struct
  Tensor x = from_vector(std::vector<double>{1.0, -3.0}, {2});
  Tensor t = zeros({2}, DType::f64);
  Outputs sum_out = run_op(op_registry().get("l1_loss"), {{"input", {x}}, {"target", {t}}},
                           {{"reduction", std::string("sum")}});
  CHECK(sum_out[0].item() == 4.0);
  Outputs mean_out = run_op(op_registry().get("mse_loss"), {{"input", {x}}, {"target", {t}}});
  CHECK(mean_out[0].item() == 5.0);
}
