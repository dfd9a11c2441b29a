// The op registry: metadata for every public op (the catalog's canonical names), and a uniform
// way to run any op by name on named inputs and attributes. It drives `lathe ops`, `lathe eval`,
// the generic gradcheck/oracle/conformance runners and the coverage test.
//
// Each op file registers its ops beside their code:
//
//   LATHE_REGISTER_OPS(softplus) {
//     registry.add(OpDef("softplus", "prim")
//                      .summary("log(1 + exp(beta x)) / beta, linear above threshold")
//                      .input("x")
//                      .attr("beta", 1.0)
//                      .attr("threshold", 20.0)
//                      .output("y")
//                      .run([](const OpCall& c) {
//                        return Outputs{softplus(c.in("x"), c.f("beta"), c.f("threshold"))};
//                      }));
//   }
//
// The build collects every LATHE_REGISTER_OPS(id) under ops/, losses/ and models/ into one
// generated function (cmake/gen_register.cmake), so registration survives static linking.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "core/tensor.h"

namespace lathe {

enum class Kind { floating, integer, boolean, any };
const char* kind_name(Kind k);

enum InputFlags : unsigned {
  kOptional = 1,  // may be left out (an undefined Tensor reaches the op)
  kVariadic = 2,  // any number of tensors (concat's xs)
  kNoGrad = 4,    // floating but not differentiated (targets, running statistics)
};

struct InputDef {
  std::string name;
  Kind kind = Kind::floating;
  bool optional = false;
  bool variadic = false;
  bool differentiable = true;  // when it holds floats
};

enum class AttrType { integer, real, boolean, string, ints };
const char* attr_type_name(AttrType t);
using AttrValue = std::variant<int64_t, double, bool, std::string, std::vector<int64_t>>;
std::string attr_to_string(const AttrValue& v);

struct AttrDef {
  std::string name;
  AttrType type;
  AttrValue default_value;
  std::string doc;
};

struct OutputDef {
  std::string name;
  Kind kind = Kind::floating;
};

class OpDef;
using Outputs = std::vector<Tensor>;

// The inputs and attributes one call of an op receives, defaults filled in.
class OpCall {
 public:
  OpCall(const OpDef& def, std::vector<std::vector<Tensor>> inputs, std::vector<AttrValue> attrs)
      : def_(def), inputs_(std::move(inputs)), attrs_(std::move(attrs)) {}
  const Tensor& in(const std::string& name) const;                // undefined if optional, absent
  const std::vector<Tensor>& ins(const std::string& name) const;  // variadic inputs
  int64_t i(const std::string& name) const;
  double f(const std::string& name) const;  // accepts integer attributes too
  bool b(const std::string& name) const;
  const std::string& s(const std::string& name) const;
  const std::vector<int64_t>& ints(const std::string& name) const;

 private:
  const AttrValue& attr(const std::string& name) const;
  const OpDef& def_;
  std::vector<std::vector<Tensor>> inputs_;
  std::vector<AttrValue> attrs_;
};

using RunFn = std::function<Outputs(const OpCall&)>;

class OpDef {
 public:
  OpDef(std::string name, std::string family) : name_(std::move(name)), family_(std::move(family)) {}

  OpDef& summary(std::string text);
  OpDef& paper(std::string text);
  OpDef& input(std::string name, Kind kind = Kind::floating, unsigned flags = 0);
  OpDef& attr(std::string name, int value, std::string doc = "");
  OpDef& attr(std::string name, int64_t value, std::string doc = "");
  OpDef& attr(std::string name, double value, std::string doc = "");
  OpDef& attr(std::string name, bool value, std::string doc = "");
  OpDef& attr(std::string name, const char* value, std::string doc = "");
  OpDef& attr(std::string name, std::vector<int64_t> value, std::string doc = "");
  OpDef& output(std::string name, Kind kind = Kind::floating);
  // A state tensor (running statistics, DESIGN rule 9): an input and an output of this name.
  // State outputs carry no gradient: gradcheck and `lathe eval --grad` never seed them.
  OpDef& state(std::string name);
  // The op's defined backward is not the true derivative (approximate or straight-through
  // gradients, stop-gradients of input-dependent quantities); `note` says what it is. Such ops
  // are tested against their reference algorithm instead of finite differences.
  OpDef& custom_backward(std::string note);
  OpDef& run(RunFn fn);

  const std::string& name() const { return name_; }
  const std::string& family() const { return family_; }
  const std::string& summary_text() const { return summary_; }
  const std::string& paper_text() const { return paper_; }
  const std::vector<InputDef>& inputs() const { return inputs_; }
  const std::vector<AttrDef>& attrs() const { return attrs_; }
  const std::vector<OutputDef>& outputs() const { return outputs_; }
  const std::vector<std::string>& states() const { return states_; }
  bool is_state(const std::string& output) const;
  const std::string& custom_backward_note() const { return custom_backward_; }
  const RunFn& run_fn() const { return run_; }
  int input_index(const std::string& name) const;  // -1 when absent
  int attr_index(const std::string& name) const;
  bool differentiable() const;  // some input is differentiable and some output floating

 private:
  OpDef& add_attr(std::string name, AttrValue value, std::string doc);

  std::string name_, family_, summary_, paper_;
  std::vector<InputDef> inputs_;
  std::vector<AttrDef> attrs_;
  std::vector<OutputDef> outputs_;
  std::vector<std::string> states_;
  std::string custom_backward_;
  RunFn run_;
};

class OpRegistry {
 public:
  void add(OpDef def);  // throws on a duplicate name or a def without run()
  const OpDef* find(const std::string& name) const;
  const OpDef& get(const std::string& name) const;  // throws, suggesting similar names
  std::vector<const OpDef*> all() const;            // sorted by name

 private:
  std::map<std::string, OpDef> ops_;
};

// The global registry, filled on first use.
const OpRegistry& op_registry();

// Runs `def` with inputs and attributes by name. Checks unknown, missing and extra inputs and
// attributes, input dtype kinds and attribute types, each as an Error naming the op.
Outputs run_op(const OpDef& def, const std::map<std::string, std::vector<Tensor>>& inputs,
               const std::map<std::string, AttrValue>& attrs = {});

// Parses "3", "0.5", "true", "[1,2]", "tanh" for the attribute's type (command line, fixtures).
AttrValue parse_attr(const OpDef& def, const std::string& name, const std::string& text);

}  // namespace lathe

// Defines the function that registers one file's ops; see the comment at the top.
#define LATHE_REGISTER_OPS(id) void lathe_register_ops_##id(::lathe::OpRegistry& registry)
