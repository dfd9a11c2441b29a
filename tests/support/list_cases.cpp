// `lathe_tests --list-cases --json [--op NAME]`: every case as the runners see it, for the
// PyTorch oracle (tools/oracle/oracle.py), which computes references for exactly these cases.
// Per case: op, name, note, attrs (only those the case sets), inputs in list order (a repeated
// name is one element of a variadic input) with dtype, shape and row-major values, the seeds the
// runners use (make_seeds with salt 0, one per floating non-state output), the gradcheck flags
// and the oracle's tolerances. Values print in the shortest form that reads back to the same
// double (so exactly); non-finite ones as the strings "inf", "-inf", "nan".
#include <cmath>
#include <iostream>

#include <nlohmann/json.hpp>

#include "tests/support/runners.h"

namespace lathe::test {

nlohmann::json attr_json(const AttrValue& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) {  // JSON has no inf or NaN: strings, as values
    if (std::isnan(*d)) return "nan";
    if (std::isinf(*d)) return *d > 0 ? "inf" : "-inf";
    return *d;
  }
  if (auto* b = std::get_if<bool>(&v)) return *b;
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  return std::get<std::vector<int64_t>>(v);
}

namespace {
nlohmann::json number(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return x;
}

nlohmann::json tensor_json(const Tensor& t) {
  nlohmann::json values = nlohmann::json::array();
  if (t.dtype() == DType::i64) {
    for (int64_t v : t.to_vector<int64_t>()) values.push_back(v);
  } else {
    for (double v : t.to(DType::f64).to_vector<double>()) values.push_back(number(v));
  }
  return {{"dtype", dtype_name(t.dtype())}, {"shape", t.shape().vec()}, {"values", values}};
}

nlohmann::json case_json(const Case& c) {
  const OpDef& def = op_registry().get(c.op);
  nlohmann::json j = {{"op", c.op}, {"name", c.name}, {"note", c.about}};
  j["attrs"] = nlohmann::json::object();
  for (const auto& [name, value] : c.attrs) j["attrs"][name] = attr_json(value);
  auto inputs = make_inputs(c, Device::reference(), DType::f64, Layout::contiguous);
  std::map<std::string, size_t> used;  // a variadic input's next element
  j["inputs"] = nlohmann::json::array();
  for (const InputSpec& s : c.inputs) {
    nlohmann::json in = tensor_json(inputs.at(s.name).at(used[s.name]++));
    in["name"] = s.name;
    j["inputs"].push_back(in);
  }
  j["seeds"] = nlohmann::json::object();
  if (c.oracle) {
    Outputs outputs;
    {
      NoGradGuard no_grad;
      outputs = run_op(def, inputs, c.attrs);
    }
    std::vector<Tensor> seeds = make_seeds(def, outputs, 0);
    for (size_t k = 0; k < seeds.size(); ++k)
      if (seeds[k].defined()) j["seeds"][def.outputs()[k].name] = tensor_json(seeds[k]);
  }
  j["gradcheck"] = c.gradcheck;
  j["second_order"] = c.second_order;
  j["kink"] = c.kink;
  j["why_not"] = c.why_not;
  j["oracle"] = c.oracle;
  if (c.oracle) {
    j["rtol"] = c.oracle_rtol;
    j["atol"] = c.oracle_atol;
    if (!c.oracle_f32) {
      j["f32"] = false;
      j["f32_note"] = c.why_no_f32;
    }
  } else {
    j["why_no_oracle"] = c.why_no_oracle;
  }
  return j;
}
}  // namespace

void print_cases_json(std::ostream& os, const std::string& op) {
  LATHE_CHECK(op.empty() || op_registry().find(op), "[list-cases] no op named '", op, "'");
  nlohmann::json all = nlohmann::json::array();
  for (const Case& c : all_cases()) {
    if (!op.empty() && c.op != op) continue;
    try {
      all.push_back(case_json(c));
    } catch (const std::exception& e) {
      throw Error("[list-cases] case " + c.op + "/" + c.name + ": " + e.what());
    }
  }
  os << nlohmann::json{{"cases", all}}.dump(1) << "\n";
}

}  // namespace lathe::test
