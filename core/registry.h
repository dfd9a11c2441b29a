// The op registry: metadata for every public op (the catalog's canonical names), and a uniform
// way to run any op by name on named inputs and attributes. It drives `lathe ops` (the op
// reference in docs/ops-*.md is generated from it), `lathe eval`, the generic
// gradcheck/oracle/conformance runners and the coverage test.
//
// Each op file registers its ops beside their code. An op whose C++ function takes an options
// struct declares its schema once, by binding the struct's members; defaults are read from
// `Options{}` and the run function is generated from the C++ signature
// `Tensor fn(const Tensor&..., const Options&)`, tensor arguments in declared input order:
//
//   LATHE_REGISTER_OPS(kd_kl_loss) {
//     registry.add(OpDef("kd_kl_loss", "distillation")
//                      .summary("T^2 KL(softmax(teacher/T) || softmax(student/T)), Hinton KD")
//                      .input("student")
//                      .input("teacher", Kind::floating, kNoGrad)
//                      .options<KdOptions>()
//                      .input("labels", &KdOptions::labels, Kind::integer, kOptional)
//                      .attr("temperature", &KdOptions::temperature, "softening temperature T")
//                      .output("loss")
//                      .run(kd_kl_loss));
//   }
//
// An op without an options struct lists plain attributes and unpacks them in a lambda:
//
//   .attr("beta", 1.0, "sharpness").run([](const OpCall& c) {
//     return Outputs{softplus(c.in("x"), c.f("beta"), c.f("threshold"))};
//   })
//
// and an op with an options struct but several outputs reads the filled struct with
// `c.options<PowerNormOptions>()` in its lambda. Every attribute has a one-line doc.
//
// The build collects every LATHE_REGISTER_OPS(id) under ops/, losses/ and models/ into one
// generated function (cmake/gen_register.cmake), so registration survives static linking.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <utility>
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
  bool in_options = false;     // bound to a member of the options struct, not a run() argument
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

  // The options struct of an op that declared options<Options>(), filled from this call's
  // attributes and bound inputs.
  template <class Options>
  Options options() const;
  // Argument `i` of a generated run function: the i-th tensor input not bound to the options
  // struct, or the options struct itself (specialized for Tensor below).
  template <class T>
  T arg(size_t i) const {
    (void)i;
    return options<T>();
  }
  // One overload per member type an options struct may bind (int64_t, int, double, bool,
  // std::string, std::vector<int64_t>): the member's type picks the reader.
  void get(const std::string& name, int64_t& out) const { out = i(name); }
  void get(const std::string& name, int& out) const { out = static_cast<int>(i(name)); }
  void get(const std::string& name, double& out) const { out = f(name); }
  void get(const std::string& name, bool& out) const { out = b(name); }
  void get(const std::string& name, std::string& out) const { out = s(name); }
  void get(const std::string& name, std::vector<int64_t>& out) const { out = ints(name); }

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
  // A plain attribute: its default value picks its type; `doc` is one line (never empty).
  OpDef& attr(std::string name, int value, std::string doc);
  OpDef& attr(std::string name, int64_t value, std::string doc);
  OpDef& attr(std::string name, double value, std::string doc);
  OpDef& attr(std::string name, bool value, std::string doc);
  OpDef& attr(std::string name, const char* value, std::string doc);
  OpDef& attr(std::string name, std::string value, std::string doc);
  OpDef& attr(std::string name, std::vector<int64_t> value, std::string doc);

  // ---- binding an options struct (see the example at the top) ----
  // The templates below are the least that turns one C++ declaration into the schema: a member
  // pointer carries the member's type (which picks the attribute type and OpCall::get) and, read
  // from Options{}, the default. A later enum member (e.g. a Reduction) takes an overload with
  // its name table, a string attribute whose setter parses the name.
  template <class Options>
  OpDef& options() {
    options_type_ = typeid(Options);
    return *this;
  }
  template <class Options, class Member>
  OpDef& attr(std::string name, Member Options::*member, std::string doc) {
    bind_option(typeid(Options), name, [name, member](const OpCall& c, void* o) {
      c.get(name, static_cast<Options*>(o)->*member);
    });
    return attr(name, Options{}.*member, std::move(doc));
  }
  // A tensor member of the options struct (e.g. class weights): an input of the op that is not
  // an argument of the generated run function.
  template <class Options>
  OpDef& input(std::string name, Tensor Options::*member, Kind kind = Kind::floating,
               unsigned flags = 0) {
    bind_option(typeid(Options), name, [name, member](const OpCall& c, void* o) {
      static_cast<Options*>(o)->*member = c.in(name);
    });
    input(name, kind, flags);
    inputs_.back().in_options = true;
    return *this;
  }
  OpDef& output(std::string name, Kind kind = Kind::floating);
  // A state tensor (running statistics, DESIGN rule 9): an input and an output of this name.
  // State outputs carry no gradient: gradcheck and `lathe eval --grad` never seed them.
  OpDef& state(std::string name);
  // The op's defined backward is not the true derivative (approximate or straight-through
  // gradients, stop-gradients of input-dependent quantities); `note` says what it is. Such ops
  // are tested against their reference algorithm instead of finite differences.
  OpDef& custom_backward(std::string note);
  // A loss whose reduction is not 'none' | 'mean' | 'sum' over its elements (batchmean by
  // definition, a mean over pairs or valid rows only): `why` says what it is. The loss
  // contract test (tests/losses/contract_test.cpp) skips its reduction checks.
  OpDef& own_reduction(std::string why);
  OpDef& run(RunFn fn);
  // The run function generated from `Tensor fn(const Tensor&..., const Options&)` (or an
  // all-tensor signature): checked against the declared inputs and options when registered.
  template <class... Args>
  OpDef& run(Tensor (*fn)(const Args&...)) {
    check_signature({std::is_same<Args, Tensor>::value...}, {&typeid(Args)...});
    return run_generated(fn, std::index_sequence_for<Args...>{});
  }

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
  const std::string& own_reduction_note() const { return own_reduction_; }
  const RunFn& run_fn() const { return run_; }
  int input_index(const std::string& name) const;  // -1 when absent
  int attr_index(const std::string& name) const;
  bool differentiable() const;  // some input is differentiable and some output floating
  // Fills `options` (an object of the type given to options<T>(), checked) from a call.
  void fill_options(const OpCall& call, const std::type_info& type, void* options) const;

 private:
  using OptionSetter = std::function<void(const OpCall&, void* options)>;
  OpDef& add_attr(std::string name, AttrValue value, std::string doc);
  void bind_option(const std::type_info& type, const std::string& name, OptionSetter set);
  void check_signature(const std::vector<bool>& is_tensor,
                       const std::vector<const std::type_info*>& types) const;
  template <class... Args, size_t... I>
  OpDef& run_generated(Tensor (*fn)(const Args&...), std::index_sequence<I...>) {
    return run([fn](const OpCall& c) { return Outputs{fn(c.arg<Args>(I)...)}; });
  }

  std::string name_, family_, summary_, paper_;
  std::vector<InputDef> inputs_;
  std::vector<AttrDef> attrs_;
  std::vector<OutputDef> outputs_;
  std::vector<std::string> states_;
  std::string custom_backward_;
  std::string own_reduction_;
  RunFn run_;
  std::type_index options_type_ = typeid(void);  // void: no options struct
  std::vector<OptionSetter> option_setters_;
};

template <class Options>
Options OpCall::options() const {
  Options o;
  def_.fill_options(*this, typeid(Options), &o);
  return o;
}

template <>
Tensor OpCall::arg<Tensor>(size_t i) const;

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
