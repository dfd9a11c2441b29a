#include "core/registry.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace lathe {

void register_all_ops(OpRegistry& registry);  // generated: build/generated/register_all.cpp

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::floating: return "float";
    case Kind::integer: return "int";
    case Kind::boolean: return "bool";
    case Kind::any: return "any";
  }
  return "?";
}

const char* attr_type_name(AttrType t) {
  switch (t) {
    case AttrType::integer: return "int";
    case AttrType::real: return "float";
    case AttrType::boolean: return "bool";
    case AttrType::string: return "string";
    case AttrType::ints: return "ints";
  }
  return "?";
}

std::string attr_to_string(const AttrValue& v) {
  std::ostringstream os;
  if (auto p = std::get_if<int64_t>(&v)) os << *p;
  if (auto p = std::get_if<double>(&v)) os << *p;
  if (auto p = std::get_if<bool>(&v)) os << (*p ? "true" : "false");
  if (auto p = std::get_if<std::string>(&v)) os << *p;
  if (auto p = std::get_if<std::vector<int64_t>>(&v)) {
    os << '[';
    for (size_t i = 0; i < p->size(); ++i) os << (i ? "," : "") << (*p)[i];
    os << ']';
  }
  return os.str();
}

// ---- OpCall ----

const Tensor& OpCall::in(const std::string& name) const {
  static const Tensor undefined;
  const std::vector<Tensor>& v = ins(name);
  return v.empty() ? undefined : v[0];
}

const std::vector<Tensor>& OpCall::ins(const std::string& name) const {
  int i = def_.input_index(name);
  LATHE_CHECK(i >= 0, "[", def_.name(), "] has no input '", name, "'");
  return inputs_[i];
}

const AttrValue& OpCall::attr(const std::string& name) const {
  int i = def_.attr_index(name);
  LATHE_CHECK(i >= 0, "[", def_.name(), "] has no attribute '", name, "'");
  return attrs_[i];
}

int64_t OpCall::i(const std::string& name) const { return std::get<int64_t>(attr(name)); }
double OpCall::f(const std::string& name) const {
  const AttrValue& v = attr(name);
  if (auto p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  return std::get<double>(v);
}
bool OpCall::b(const std::string& name) const { return std::get<bool>(attr(name)); }
const std::string& OpCall::s(const std::string& name) const {
  return std::get<std::string>(attr(name));
}
const std::vector<int64_t>& OpCall::ints(const std::string& name) const {
  return std::get<std::vector<int64_t>>(attr(name));
}

template <>
Tensor OpCall::arg<Tensor>(size_t i) const {
  for (size_t k = 0; k < inputs_.size(); ++k) {
    if (def_.inputs()[k].in_options) continue;
    if (i-- == 0) return inputs_[k].empty() ? Tensor() : inputs_[k][0];
  }
  LATHE_FAIL("[", def_.name(), "] run function reads a tensor argument past its inputs");
}

// ---- OpDef ----

OpDef& OpDef::summary(std::string text) {
  summary_ = std::move(text);
  return *this;
}

OpDef& OpDef::paper(std::string text) {
  paper_ = std::move(text);
  return *this;
}

OpDef& OpDef::input(std::string name, Kind kind, unsigned flags) {
  InputDef d;
  d.name = std::move(name);
  d.kind = kind;
  d.optional = flags & kOptional;
  d.variadic = flags & kVariadic;
  // `any` inputs (views, sort, gather's x) are differentiable whenever they hold floats.
  d.differentiable = (kind == Kind::floating || kind == Kind::any) && !(flags & kNoGrad);
  inputs_.push_back(std::move(d));
  return *this;
}

OpDef& OpDef::add_attr(std::string name, AttrValue value, std::string doc) {
  static const AttrType types[] = {AttrType::integer, AttrType::real, AttrType::boolean,
                                   AttrType::string, AttrType::ints};
  attrs_.push_back({std::move(name), types[value.index()], std::move(value), std::move(doc)});
  return *this;
}

OpDef& OpDef::attr(std::string n, int v, std::string d) { return add_attr(n, int64_t{v}, d); }
OpDef& OpDef::attr(std::string n, int64_t v, std::string d) { return add_attr(n, v, d); }
OpDef& OpDef::attr(std::string n, double v, std::string d) { return add_attr(n, v, d); }
OpDef& OpDef::attr(std::string n, bool v, std::string d) { return add_attr(n, v, d); }
OpDef& OpDef::attr(std::string n, const char* v, std::string d) {
  return add_attr(n, std::string(v), d);
}
OpDef& OpDef::attr(std::string n, std::string v, std::string d) {
  return add_attr(n, std::move(v), d);
}
OpDef& OpDef::attr(std::string n, std::vector<int64_t> v, std::string d) {
  return add_attr(n, std::move(v), d);
}

void OpDef::bind_option(const std::type_info& type, const std::string& name, OptionSetter set) {
  LATHE_CHECK(options_type_ != typeid(void), "[registry] op '", name_, "' binds '", name,
              "' to an options member before declaring options<T>()");
  LATHE_CHECK(options_type_ == type, "[registry] op '", name_, "' binds '", name,
              "' to a member of another struct than its options<T>()");
  option_setters_.push_back(std::move(set));
}

void OpDef::fill_options(const OpCall& call, const std::type_info& type, void* options) const {
  LATHE_CHECK(options_type_ == type, "[", name_, "] options requested as a type other than the ",
              "one its definition declares");
  for (const OptionSetter& set : option_setters_) set(call, options);
}

void OpDef::check_signature(const std::vector<bool>& is_tensor,
                            const std::vector<const std::type_info*>& types) const {
  size_t tensors = 0;
  for (const InputDef& d : inputs_) tensors += !d.in_options && !d.variadic;
  bool has_options = options_type_ != typeid(void);
  // The tensors come first, then exactly one options struct when the op declares one.
  size_t expected = tensors + (has_options ? 1 : 0);
  bool ok = is_tensor.size() == expected;
  for (size_t k = 0; ok && k < is_tensor.size(); ++k)
    ok = k < tensors ? is_tensor[k]
                     : !is_tensor[k] && std::type_index(*types[k]) == options_type_;
  bool variadic = std::any_of(inputs_.begin(), inputs_.end(), [](const InputDef& d) {
    return d.variadic;
  });
  LATHE_CHECK(ok && !variadic, "[registry] op '", name_, "': run(fn) expects fn(", tensors,
              " tensors", has_options ? ", const Options&" : "",
              ") in declared input order (variadic inputs need a lambda)");
}

OpDef& OpDef::output(std::string name, Kind kind) {
  outputs_.push_back({std::move(name), kind});
  return *this;
}

OpDef& OpDef::state(std::string name) {
  input(name, Kind::floating, kNoGrad);
  output(name);
  states_.push_back(std::move(name));
  return *this;
}

OpDef& OpDef::custom_backward(std::string note) {
  custom_backward_ = std::move(note);
  return *this;
}

OpDef& OpDef::own_reduction(std::string why) {
  LATHE_CHECK(!why.empty(), "[", name_, "] own_reduction needs a reason");
  own_reduction_ = std::move(why);
  return *this;
}

bool OpDef::is_state(const std::string& output) const {
  return std::find(states_.begin(), states_.end(), output) != states_.end();
}

OpDef& OpDef::run(RunFn fn) {
  run_ = std::move(fn);
  return *this;
}

int OpDef::input_index(const std::string& name) const {
  for (size_t i = 0; i < inputs_.size(); ++i)
    if (inputs_[i].name == name) return static_cast<int>(i);
  return -1;
}

int OpDef::attr_index(const std::string& name) const {
  for (size_t i = 0; i < attrs_.size(); ++i)
    if (attrs_[i].name == name) return static_cast<int>(i);
  return -1;
}

bool OpDef::differentiable() const {
  bool in = std::any_of(inputs_.begin(), inputs_.end(), [](const InputDef& d) {
    return d.differentiable;
  });
  bool out = std::any_of(outputs_.begin(), outputs_.end(), [](const OutputDef& d) {
    return d.kind == Kind::floating || d.kind == Kind::any;
  });
  return in && out;
}

// ---- OpRegistry ----

void OpRegistry::add(OpDef def) {
  LATHE_CHECK(!ops_.count(def.name()), "[registry] op '", def.name(), "' registered twice");
  LATHE_CHECK(static_cast<bool>(def.run_fn()), "[registry] op '", def.name(), "' has no run()");
  LATHE_CHECK(!def.outputs().empty(), "[registry] op '", def.name(), "' declares no output");
  for (const AttrDef& a : def.attrs())
    LATHE_CHECK(!a.doc.empty(), "[registry] op '", def.name(), "' attribute '", a.name,
                "' has no doc (one line: meaning, unit or choices)");
  std::string name = def.name();
  ops_.emplace(std::move(name), std::move(def));
}

const OpDef* OpRegistry::find(const std::string& name) const {
  auto it = ops_.find(name);
  return it == ops_.end() ? nullptr : &it->second;
}

namespace {
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
    }
  }
  return row[b.size()];
}
}  // namespace

const OpDef& OpRegistry::get(const std::string& name) const {
  if (const OpDef* d = find(name)) return *d;
  std::string close;
  for (const auto& [other, def] : ops_)
    if (edit_distance(name, other) <= 2 || other.find(name) != std::string::npos)
      close += (close.empty() ? "" : ", ") + other;
  LATHE_FAIL("[registry] unknown op '", name, "'",
             close.empty() ? std::string() : "; did you mean: " + close + "?");
}

std::vector<const OpDef*> OpRegistry::all() const {
  std::vector<const OpDef*> out;
  for (const auto& [name, def] : ops_) out.push_back(&def);
  return out;
}

const OpRegistry& op_registry() {
  static const OpRegistry* registry = [] {
    auto* r = new OpRegistry();
    register_all_ops(*r);
    return r;
  }();
  return *registry;
}

// ---- running ops by name ----

namespace {
bool kind_matches(Kind kind, DType t) {
  switch (kind) {
    case Kind::floating: return is_floating(t);
    case Kind::integer: return is_integral(t);
    case Kind::boolean: return t == DType::boolean;
    case Kind::any: return true;
  }
  return false;
}

bool type_matches(AttrType type, const AttrValue& v) {
  switch (type) {
    case AttrType::integer: return std::holds_alternative<int64_t>(v);
    case AttrType::real: return std::holds_alternative<double>(v) || std::holds_alternative<int64_t>(v);
    case AttrType::boolean: return std::holds_alternative<bool>(v);
    case AttrType::string: return std::holds_alternative<std::string>(v);
    case AttrType::ints: return std::holds_alternative<std::vector<int64_t>>(v);
  }
  return false;
}
}  // namespace

Outputs run_op(const OpDef& def, const std::map<std::string, std::vector<Tensor>>& inputs,
               const std::map<std::string, AttrValue>& attrs) {
  const std::string& op = def.name();
  for (const auto& [name, tensors] : inputs)
    LATHE_CHECK(def.input_index(name) >= 0, "[", op, "] unknown input '", name, "'");
  for (const auto& [name, value] : attrs)
    LATHE_CHECK(def.attr_index(name) >= 0, "[", op, "] unknown attribute '", name, "'");

  std::vector<std::vector<Tensor>> in;
  for (const InputDef& d : def.inputs()) {
    auto it = inputs.find(d.name);
    std::vector<Tensor> given = it == inputs.end() ? std::vector<Tensor>{} : it->second;
    LATHE_CHECK(!given.empty() || d.optional, "[", op, "] missing input '", d.name, "'");
    LATHE_CHECK(given.size() <= 1 || d.variadic, "[", op, "] input '", d.name, "' takes one tensor, got ",
                given.size());
    for (const Tensor& t : given)
      LATHE_CHECK(t.defined() && kind_matches(d.kind, t.dtype()), "[", op, "] input '", d.name,
                  "' expects a ", kind_name(d.kind), " tensor, got ",
                  t.defined() ? dtype_name(t.dtype()) : "nothing");
    in.push_back(std::move(given));
  }
  std::vector<AttrValue> values;
  for (const AttrDef& a : def.attrs()) {
    auto it = attrs.find(a.name);
    if (it == attrs.end()) {
      values.push_back(a.default_value);
      continue;
    }
    LATHE_CHECK(type_matches(a.type, it->second), "[", op, "] attribute '", a.name, "' expects ",
                attr_type_name(a.type), ", got '", attr_to_string(it->second), "'");
    values.push_back(it->second);
  }
  Outputs out = def.run_fn()(OpCall(def, std::move(in), std::move(values)));
  LATHE_CHECK(out.size() == def.outputs().size(), "[", op, "] returned ", out.size(),
              " outputs, its definition declares ", def.outputs().size());
  return out;
}

AttrValue parse_attr(const OpDef& def, const std::string& name, const std::string& text) {
  int i = def.attr_index(name);
  LATHE_CHECK(i >= 0, "[", def.name(), "] unknown attribute '", name, "'");
  const AttrDef& a = def.attrs()[i];
  auto bad = [&]() {
    return Error(detail::cat("[", def.name(), "] attribute '", name, "' expects ",
                             attr_type_name(a.type), ", got '", text, "'"));
  };
  auto parse_int = [&](const std::string& s) {
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0') throw bad();
    return static_cast<int64_t>(v);
  };
  switch (a.type) {
    case AttrType::integer: return parse_int(text);
    case AttrType::real: {
      char* end = nullptr;
      double v = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0') throw bad();
      return v;
    }
    case AttrType::boolean:
      if (text == "true" || text == "1") return true;
      if (text == "false" || text == "0") return false;
      throw bad();
    case AttrType::string: return text;
    case AttrType::ints: {
      std::string body = text;
      if (!body.empty() && body.front() == '[') {
        if (body.back() != ']') throw bad();
        body = body.substr(1, body.size() - 2);
      }
      std::vector<int64_t> v;
      std::stringstream ss(body);
      std::string item;
      while (std::getline(ss, item, ',')) {
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        v.push_back(parse_int(item));
      }
      return v;
    }
  }
  throw bad();
}

}  // namespace lathe
