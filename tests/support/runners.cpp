#include "tests/support/runners.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/safetensors.h"
#include "ops/gradcheck.h"

namespace lathe::test {

// ---- gradcheck ----

namespace {
void gradcheck_layout(const OpDef& def, const Case& c, Device device, Layout layout) {
  GradcheckOptions options;
  options.atol = c.atol;
  options.rtol = c.rtol;
  options.second_order = c.second_order && layout == Layout::contiguous;
  if (c.all_elements) options.max_elements = 0;
  GradcheckReport report =
      gradcheck(def, make_inputs(c, device, DType::f64, layout), c.attrs, options);
  INFO(report.str());
  for (const GradcheckResult& r : report.results) {
    INFO((r.order == 1 ? "first" : "second") << " order w.r.t. " << r.wrt);
    CHECK(r.ok);
  }
}
}  // namespace

void run_gradcheck(const Case& c) {
  const OpDef& def = op_registry().get(c.op);
  DYNAMIC_SECTION(c.name << " contiguous") {
    gradcheck_layout(def, c, Device::reference(), Layout::contiguous);
  }
  DYNAMIC_SECTION(c.name << " strided") {
    // Strided inputs give the same forward values as contiguous ones, and the same gradients.
    auto a = make_inputs(c, Device::reference(), DType::f64, Layout::contiguous);
    auto b = make_inputs(c, Device::reference(), DType::f64, Layout::strided);
    Outputs ya = run_op(def, a, c.attrs), yb = run_op(def, b, c.attrs);
    for (size_t k = 0; k < ya.size(); ++k) {
      INFO("output " << def.outputs()[k].name);
      CHECK(compare(yb[k], ya[k], 1e-12, 1e-12) == "");
    }
    gradcheck_layout(def, c, Device::reference(), Layout::strided);
  }
  // Host-memory backends again: their fused kernels take other paths through autograd (a fused
  // op's first-order rule, a composite for higher orders) that must be just as right.
  for (const Backend* b : conformance_targets()) {
    if (!b->host_memory()) continue;
    DYNAMIC_SECTION(c.name << " on " << b->name()) {
      gradcheck_layout(def, c, Device{static_cast<int16_t>(b->id()), 0}, Layout::contiguous);
    }
  }
}

// ---- conformance ----

namespace {
std::map<std::string, std::vector<Tensor>> moved(
    const std::map<std::string, std::vector<Tensor>>& inputs, Device device) {
  auto out = inputs;
  for (auto& [name, list] : out)
    for (Tensor& t : list) t = t.to(device).detach();
  return out;
}
}  // namespace

void run_conformance(const Case& c, const Backend& target) {
  const OpDef& def = op_registry().get(c.op);
  Device device{static_cast<int16_t>(target.id()), 0};
  for (DType dtype : {DType::f64, DType::f32}) {
    for (Layout layout : {Layout::contiguous, Layout::strided}) {
      bool f64 = dtype == DType::f64;
      double atol = f64 ? 1e-10 : 1e-5, rtol = f64 ? 1e-10 : 1e-4;
      INFO(c.name << " on " << target.name() << " in " << dtype
                  << (layout == Layout::strided ? ", strided" : ", contiguous"));
      auto ref_inputs = make_inputs(c, Device::reference(), dtype, Layout::contiguous);
      Evaluation ref = evaluate(def, ref_inputs, c.attrs);
      std::vector<Tensor> seeds;
      for (const Tensor& s : make_seeds(def, ref.outputs, 0))
        seeds.push_back(s.defined() ? s.to(device) : s);
      auto inputs = moved(make_inputs(c, Device::reference(), dtype, layout), device);
      Evaluation got = evaluate(def, inputs, c.attrs, seeds);
      REQUIRE(got.outputs.size() == ref.outputs.size());
      for (size_t k = 0; k < ref.outputs.size(); ++k) {
        INFO("output " << def.outputs()[k].name);
        if (c.output_on_input_device) CHECK(got.outputs[k].device() == device);
        CHECK(compare(got.outputs[k], ref.outputs[k], atol, rtol) == "");
      }
      for (auto& [name, grads] : ref.grads) {
        for (size_t i = 0; i < grads.size(); ++i) {
          INFO("gradient of " << name << "[" << i << "]");
          REQUIRE(got.grads[name].size() == grads.size());
          REQUIRE(got.grads[name][i].defined() == grads[i].defined());
          if (grads[i].defined()) CHECK(compare(got.grads[name][i], grads[i], atol, rtol) == "");
        }
      }
    }
  }
}

std::vector<const Backend*> conformance_targets() {
  std::vector<const Backend*> out;
  for (const Backend* b : backends())
    if (b->name() != "reference" && b->device_count() > 0) out.push_back(b);
  return out;
}

// ---- oracle ----

std::string fixture_root() { return std::string(LATHE_SOURCE_DIR) + "/tests/fixtures/oracle"; }

std::string oracle_fixture(const std::string& op) {
  std::string path = fixture_root() + "/" + op + ".safetensors";
  return std::ifstream(path) ? path : "";
}

namespace {
// One op's fixture file: its tensors, and the cases' metas from the header's metadata.
struct OracleFile {
  std::string path, op;
  SafetensorsFile file;
  nlohmann::json cases;

  explicit OracleFile(const std::string& p) : path(p) {
    file = load_safetensors(path, Device::reference());
    LATHE_CHECK(file.metadata.count("op") && file.metadata.count("cases"), "[oracle] ", path,
                " has no \"op\" and \"cases\" metadata");
    op = file.metadata.at("op");
    cases = nlohmann::json::parse(file.metadata.at("cases"));
  }
  const Tensor& tensor(const nlohmann::json& key) const {
    auto it = file.tensors.find(key.get<std::string>());
    LATHE_CHECK(it != file.tensors.end(), "[oracle] ", path, " has no tensor ", key);
    return it->second;
  }
};

AttrValue attr_from_json(const OpDef& def, const std::string& name, const nlohmann::json& j) {
  if (j.is_boolean()) return j.get<bool>();
  if (j.is_number_integer()) {
    int idx = def.attr_index(name);
    if (idx >= 0 && def.attrs()[idx].type == AttrType::real) return j.get<double>();
    return j.get<int64_t>();
  }
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) return j.get<std::string>();
  return j.get<std::vector<int64_t>>();
}

void run_oracle_case(const OracleFile& f, const nlohmann::json& meta) {
  const OpDef& def = op_registry().get(f.op);
  std::map<std::string, AttrValue> attrs;
  for (auto& [name, value] : meta["attrs"].items()) attrs[name] = attr_from_json(def, name, value);
  std::map<std::string, std::vector<Tensor>> inputs;
  for (auto& [name, keys] : meta["inputs"].items())
    for (auto& key : keys) inputs[name].push_back(f.tensor(key));
  std::vector<Tensor> seeds;
  for (const OutputDef& o : def.outputs()) {
    auto s = meta["seeds"].find(o.name);
    seeds.push_back(s == meta["seeds"].end() ? Tensor() : f.tensor(*s));
  }
  double rtol = meta.value("rtol", 1e-7), atol = meta.value("atol", 1e-9);

  for (DType dtype : {DType::f64, DType::f32}) {
    // A case may opt out of the f32 run ("f32": false, with "f32_note" saying why).
    if (dtype == DType::f32 && !meta.value("f32", true)) continue;
    bool f64 = dtype == DType::f64;
    INFO(f.path << " case " << meta["case"].get<std::string>() << " in " << dtype);
    auto in = inputs;  // fresh copies per pass: stateful ops update their state in place
    for (auto& [name, list] : in)
      for (Tensor& t : list) t = is_floating(t.dtype()) ? t.to(dtype).clone() : t.clone();
    std::vector<Tensor> s;
    for (const Tensor& seed : seeds) s.push_back(seed.defined() ? seed.to(dtype) : seed);
    bool has_seed = std::any_of(s.begin(), s.end(), [](const Tensor& t) { return t.defined(); });
    Evaluation e = evaluate(def, in, attrs, has_seed ? s : std::vector<Tensor>{});
    for (size_t k = 0; k < def.outputs().size(); ++k) {
      const std::string& name = def.outputs()[k].name;
      INFO("output " << name);
      Tensor expected = f.tensor(meta["outputs"][name]);
      Tensor actual = e.outputs[k];
      if (!f64 && is_floating(expected.dtype())) {
        expected = expected.to(DType::f64);
        actual = actual.to(DType::f64);
      }
      CHECK(compare(actual, expected, f64 ? atol : 1e-5, f64 ? rtol : 1e-4) == "");
    }
    for (auto& [name, keys] : meta["grads"].items()) {
      for (size_t i = 0; i < keys.size(); ++i) {
        INFO("gradient of " << name << "[" << i << "]");
        REQUIRE(e.grads.count(name));
        REQUIRE(e.grads[name][i].defined());
        CHECK(compare(e.grads[name][i].to(DType::f64), f.tensor(keys[i]), f64 ? atol : 1e-5,
                      f64 ? rtol : 1e-4) == "");
      }
    }
  }
}

// A file written from the case list (tools/oracle/oracle.py) must hold exactly the oracle cases
// the list generates now: the same names, attrs and inputs (bit for bit), and tolerances.
void check_against_case_list(const OracleFile& f) {
  std::string regenerate =
      "; regenerate it with /usr/bin/python3 tools/oracle/oracle.py --only " + f.op;
  std::map<std::string, const Case*> listed;
  for (const Case* c : cases_for(f.op))
    if (c->oracle) listed[c->name] = c;
  std::set<std::string> held;
  for (const nlohmann::json& meta : f.cases) {
    std::string name = meta["case"].get<std::string>();
    held.insert(name);
    INFO(f.path << ": case " << name << " is not what the case list generates now" << regenerate);
    REQUIRE(listed.count(name));
    const Case& c = *listed[name];
    nlohmann::json attrs = nlohmann::json::object();
    for (const auto& [k, v] : c.attrs) attrs[k] = attr_json(v);
    CHECK(meta["attrs"] == attrs);
    CHECK(meta["rtol"].get<double>() == c.oracle_rtol);
    CHECK(meta["atol"].get<double>() == c.oracle_atol);
    CHECK(meta.value("f32", true) == c.oracle_f32);
    auto inputs = make_inputs(c, Device::reference(), DType::f64, Layout::contiguous);
    CHECK(meta["inputs"].size() == inputs.size());
    for (const auto& [input, list] : inputs) {
      INFO("input " << input);
      REQUIRE(meta["inputs"].contains(input));
      REQUIRE(meta["inputs"][input].size() == list.size());
      for (size_t i = 0; i < list.size(); ++i) {
        const Tensor& held_input = f.tensor(meta["inputs"][input][i]);
        CHECK(held_input.dtype() == list[i].dtype());
        CHECK(compare(held_input, list[i], 0, 0) == "");
      }
    }
  }
  for (const auto& [name, c] : listed) {
    INFO(f.path << " lacks case " << name << " of the case list" << regenerate);
    CHECK(held.count(name));
  }
}
}  // namespace

void run_oracle_fixture(const std::string& path) {
  OracleFile f(path);
  auto from = f.file.metadata.find("cases_from");
  if (from != f.file.metadata.end() && from->second == "lathe_tests --list-cases")
    check_against_case_list(f);
  for (const nlohmann::json& meta : f.cases) run_oracle_case(f, meta);
}

// ---- oracle through the command line ----

namespace {
std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string attr_arg(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v.get<double>());
    return buf;
  }
  if (v.is_array()) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i)
      out += (i ? "," : "") + std::to_string(v[i].get<int64_t>());
    return out + "]";
  }
  return std::to_string(v.get<int64_t>());
}

// The fixture's tensors go to `lathe eval` as FILE.safetensors:KEY arguments.
void run_eval_case(const std::string& cli, const OracleFile& f, const nlohmann::json& meta) {
  auto ref = [&](const nlohmann::json& key) {
    return shell_quote(f.path + ":" + key.get<std::string>());
  };
  std::string out = std::string(LATHE_BINARY_DIR) + "/eval_out/" + f.op + "_" +
                    meta["case"].get<std::string>();
  std::string cmd = shell_quote(cli) + " eval " + f.op + " --out " + shell_quote(out);
  for (auto& [name, keys] : meta["inputs"].items())
    for (auto& key : keys) cmd += " --in " + shell_quote(name) + "=" + ref(key);
  for (auto& [name, value] : meta["attrs"].items())
    cmd += " --attr " + shell_quote(name + "=" + attr_arg(value));
  if (!meta["grads"].empty()) {
    cmd += " --grad";
    for (auto& [name, key] : meta["seeds"].items())
      cmd += " --grad-seed " + shell_quote(name) + "=" + ref(key);
  }
  INFO(cmd);
  REQUIRE(std::system((cmd + " > /dev/null").c_str()) == 0);
  double rtol = meta.value("rtol", 1e-7), atol = meta.value("atol", 1e-9);
  for (auto& [name, key] : meta["outputs"].items()) {
    INFO("output " << name);
    CHECK(compare(load_npy(out + "/" + name + ".npy"), f.tensor(key), atol, rtol) == "");
  }
  for (auto& [name, keys] : meta["grads"].items()) {
    for (size_t i = 0; i < keys.size(); ++i) {
      std::string got = "grad_" + name + (keys.size() > 1 ? "_" + std::to_string(i) : "");
      INFO("gradient " << got);
      CHECK(compare(load_npy(out + "/" + got + ".npy"), f.tensor(keys[i]), atol, rtol) == "");
    }
  }
}
}  // namespace

void run_eval_fixture(const std::string& cli, const std::string& path) {
  OracleFile f(path);
  for (const nlohmann::json& meta : f.cases) run_eval_case(cli, f, meta);
}

}  // namespace lathe::test
