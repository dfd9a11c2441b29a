#include "tests/support/runners.h"

#include <dirent.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace lathe::test {

// ---- comparison ----

std::string compare(const Tensor& actual, const Tensor& expected, double atol, double rtol) {
  std::ostringstream os;
  if (actual.shape() != expected.shape()) {
    os << "shape " << actual.shape() << " != expected " << expected.shape();
    return os.str();
  }
  bool exact = !is_floating(expected.dtype()) || !is_floating(actual.dtype());
  if (exact && actual.dtype() != expected.dtype()) {
    os << "dtype " << actual.dtype() << " != expected " << expected.dtype();
    return os.str();
  }
  std::vector<double> a = actual.to_vector<double>(), e = expected.to_vector<double>();
  double worst = 0;
  int64_t at = -1;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) && std::isnan(e[i])) continue;
    if (a[i] == e[i]) continue;
    double excess = exact ? 1.0 : std::fabs(a[i] - e[i]) - (atol + rtol * std::fabs(e[i]));
    if (std::isnan(excess)) excess = INFINITY;
    if (excess > 0 && excess >= worst) {
      worst = excess;
      at = static_cast<int64_t>(i);
    }
  }
  if (at < 0) return "";
  os.precision(12);
  os << "element " << at << " of " << expected.shape() << ": got " << a[at] << ", expected "
     << e[at] << " (atol " << atol << ", rtol " << rtol << ")";
  return os.str();
}

// ---- evaluation ----

std::vector<Tensor> make_seeds(const Outputs& outputs, uint64_t salt) {
  std::vector<Tensor> seeds;
  Generator gen(0x5eed0000ull + salt);
  for (const Tensor& o : outputs)
    seeds.push_back(is_floating(o.dtype())
                        ? randn(o.shape(), DType::f64, o.device(), &gen).to(o.dtype())
                        : Tensor());
  return seeds;
}

namespace {
// The differentiable inputs of a call, flattened in definition order.
std::vector<std::pair<std::string, int>> differentiable_slots(
    const OpDef& def, const std::map<std::string, std::vector<Tensor>>& inputs) {
  std::vector<std::pair<std::string, int>> slots;
  for (const InputDef& d : def.inputs()) {
    if (!d.differentiable) continue;
    auto it = inputs.find(d.name);
    if (it == inputs.end()) continue;
    for (size_t i = 0; i < it->second.size(); ++i)
      if (is_floating(it->second[i].dtype())) slots.push_back({d.name, static_cast<int>(i)});
  }
  return slots;
}

// sum_k sum(out_k * seed_k) over floating outputs.
Tensor weighted_total(const Outputs& outputs, const std::vector<Tensor>& seeds) {
  Tensor total;
  for (size_t k = 0; k < outputs.size(); ++k) {
    if (!is_floating(outputs[k].dtype()) || !seeds[k].defined()) continue;
    Tensor term = sum(outputs[k] * seeds[k]);
    total = total.defined() ? total + term : term;
  }
  return total;
}

// The element at row-major position i of a host tensor, through its strides.
double& element(const Tensor& t, int64_t i) {
  int64_t offset = 0;
  for (int d = t.dim() - 1; d >= 0; --d) {
    offset += (i % t.shape()[d]) * t.strides()[d];
    i /= t.shape()[d];
  }
  return t.data<double>()[offset];
}
}  // namespace

Evaluation evaluate(const OpDef& def, const std::map<std::string, std::vector<Tensor>>& inputs,
                    const std::map<std::string, AttrValue>& attrs,
                    const std::vector<Tensor>& given_seeds) {
  auto slots = differentiable_slots(def, inputs);
  std::map<std::string, std::vector<Tensor>> leaves = inputs;
  std::vector<Tensor> wrt;
  for (auto& [name, i] : slots) {
    leaves[name][i] = leaves[name][i].detach().requires_grad_();
    wrt.push_back(leaves[name][i]);
  }
  Evaluation e;
  e.outputs = run_op(def, leaves, attrs);
  std::vector<Tensor> seeds = given_seeds.empty() ? make_seeds(e.outputs, 0) : given_seeds;
  for (size_t k = 0; k < seeds.size(); ++k)  // ops like to_device put outputs elsewhere
    if (seeds[k].defined()) seeds[k] = seeds[k].to(e.outputs[k].device());
  Tensor total = weighted_total(e.outputs, seeds);
  if (!wrt.empty() && total.defined() && total.requires_grad()) {
    std::vector<Tensor> g = grad({total}, wrt, {}, {false, false, true});
    for (size_t j = 0; j < slots.size(); ++j) {
      auto& v = e.grads[slots[j].first];
      v.resize(inputs.at(slots[j].first).size());
      v[slots[j].second] = g[j];
    }
  }
  for (Tensor& o : e.outputs) o = o.detach();
  return e;
}

// ---- gradcheck ----

namespace {
constexpr double kEps = 1e-6;

struct Problem {
  const OpDef* def;
  const Case* c;
  std::map<std::string, std::vector<Tensor>> inputs;  // differentiable ones are leaves
  std::vector<std::pair<std::string, int>> slots;
  std::vector<Tensor> wrt;  // the leaves, in slot order
  std::vector<Tensor> seeds;

  Tensor total() const { return weighted_total(run_op(*def, inputs, c->attrs), seeds); }

  std::vector<Tensor> first_grads(bool create_graph) const {
    Tensor t = total();
    if (!t.defined() || !t.requires_grad()) {
      std::vector<Tensor> zero;
      for (const Tensor& w : wrt) zero.push_back(zeros_like(w.detach()));
      return zero;
    }
    std::vector<Tensor> g = grad({t}, wrt, {}, {create_graph, create_graph, true});
    for (size_t j = 0; j < g.size(); ++j)
      if (!g[j].defined()) g[j] = zeros_like(wrt[j].detach());
    return g;
  }
};

Problem make_problem(const OpDef& def, const Case& c, Layout layout) {
  Problem p;
  p.def = &def;
  p.c = &c;
  p.inputs = make_inputs(c, Device::reference(), DType::f64, layout);
  p.slots = differentiable_slots(def, p.inputs);
  for (auto& [name, i] : p.slots) {
    Tensor& t = p.inputs[name][i];
    t.requires_grad_();
    p.wrt.push_back(t);
  }
  Outputs probe;
  {
    NoGradGuard no_grad;
    probe = run_op(def, p.inputs, c.attrs);
  }
  p.seeds = make_seeds(probe, 1);
  return p;
}

std::string slot_name(const Problem& p, size_t j) {
  const auto& [name, i] = p.slots[j];
  return p.inputs.at(name).size() > 1 ? name + "[" + std::to_string(i) + "]" : name;
}

// Central difference of f over every element of every tensor in `vars`, compared with `analytic`.
template <typename F>
void check_numeric(const char* what, const Case& c, const std::vector<Tensor>& vars,
                   const std::vector<std::string>& names, const std::vector<Tensor>& analytic,
                   F f) {
  for (size_t j = 0; j < vars.size(); ++j) {
    std::vector<double> numeric(static_cast<size_t>(vars[j].numel()));
    for (int64_t i = 0; i < vars[j].numel(); ++i) {
      double& x = element(vars[j], i);
      double saved = x;
      x = saved + kEps;
      double plus = f();
      x = saved - kEps;
      double minus = f();
      x = saved;
      numeric[i] = (plus - minus) / (2 * kEps);
    }
    Tensor expected = from_vector(numeric, vars[j].shape(), DType::f64, Device::reference());
    std::string diff = compare(analytic[j], expected, c.atol, c.rtol);
    INFO(what << " w.r.t. " << names[j] << " (analytic vs numeric)");
    CHECK(diff == "");
  }
}

void gradcheck_layout(const OpDef& def, const Case& c, Layout layout) {
  Problem p = make_problem(def, c, layout);
  REQUIRE_FALSE(p.wrt.empty());
  std::vector<std::string> names;
  for (size_t j = 0; j < p.slots.size(); ++j) names.push_back(slot_name(p, j));

  // First order: d total / d input.
  std::vector<Tensor> g1 = p.first_grads(false);
  auto total_value = [&] {
    NoGradGuard no_grad;
    return p.total().item();
  };
  check_numeric("first order", c, p.wrt, names, g1, total_value);
  if (!c.second_order || layout == Layout::strided) return;

  // Second order: h = sum_j <g_j, v_j>, differentiated w.r.t. the inputs and the seeds.
  std::vector<Tensor> v = make_seeds(g1, 2);
  for (Tensor& s : p.seeds)
    if (s.defined() && s.dtype() == DType::f64) s = s.detach().requires_grad_();
  std::vector<Tensor> vars = p.wrt;
  std::vector<std::string> var_names = names;
  for (size_t k = 0; k < p.seeds.size(); ++k) {
    if (!p.seeds[k].defined() || p.seeds[k].dtype() != DType::f64) continue;  // f64 only
    vars.push_back(p.seeds[k]);
    var_names.push_back("seed of output " + p.def->outputs()[k].name);
  }
  auto h_of = [&](const std::vector<Tensor>& g) {
    Tensor h;
    for (size_t j = 0; j < g.size(); ++j) {
      Tensor term = sum(g[j] * v[j]);
      h = h.defined() ? h + term : term;
    }
    return h;
  };
  Tensor h = h_of(p.first_grads(true));
  std::vector<Tensor> g2;
  if (h.requires_grad()) g2 = grad({h}, vars, {}, {false, false, true});
  g2.resize(vars.size());
  for (size_t j = 0; j < vars.size(); ++j)
    if (!g2[j].defined()) g2[j] = zeros_like(vars[j].detach());
  auto h_value = [&] { return h_of(p.first_grads(false)).item(); };
  check_numeric("second order", c, vars, var_names, g2, h_value);
}
}  // namespace

void run_gradcheck(const Case& c) {
  const OpDef& def = op_registry().get(c.op);
  DYNAMIC_SECTION(c.name << " contiguous") { gradcheck_layout(def, c, Layout::contiguous); }
  DYNAMIC_SECTION(c.name << " strided") {
    // Strided inputs give the same forward values as contiguous ones, and the same gradients.
    auto a = make_inputs(c, Device::reference(), DType::f64, Layout::contiguous);
    auto b = make_inputs(c, Device::reference(), DType::f64, Layout::strided);
    Outputs ya = run_op(def, a, c.attrs), yb = run_op(def, b, c.attrs);
    for (size_t k = 0; k < ya.size(); ++k) {
      INFO("output " << def.outputs()[k].name);
      CHECK(compare(yb[k], ya[k], 1e-12, 1e-12) == "");
    }
    gradcheck_layout(def, c, Layout::strided);
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
      for (const Tensor& s : make_seeds(ref.outputs, 0))
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

std::vector<std::string> oracle_fixtures(const std::string& op) {
  std::vector<std::string> dirs;
  std::string root = fixture_root() + "/" + op;
  if (DIR* d = opendir(root.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      if (std::ifstream(root + "/" + name + "/meta.json")) dirs.push_back(root + "/" + name);
    }
    closedir(d);
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

namespace {
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

// Ops whose float32 run cannot match a float64 fixture by construction.
const std::map<std::string, std::string> kNoF32Variant = {
    {"dropout", "f32 masks draw 24-bit uniforms, the f64 fixture 53-bit ones (docs/ops-core.md)"},
    {"cast", "the fixture fixes the output dtype"},
};
}  // namespace

void run_oracle_fixture(const std::string& dir) {
  std::ifstream f(dir + "/meta.json");
  nlohmann::json meta = nlohmann::json::parse(f);
  const OpDef& def = op_registry().get(meta["op"].get<std::string>());
  std::map<std::string, AttrValue> attrs;
  for (auto& [name, value] : meta["attrs"].items()) attrs[name] = attr_from_json(def, name, value);
  std::map<std::string, std::vector<Tensor>> inputs;
  for (auto& [name, files] : meta["inputs"].items())
    for (auto& file : files) inputs[name].push_back(load_npy(dir + "/" + file.get<std::string>(),
                                                             Device::reference()));
  std::vector<Tensor> seeds;
  for (const OutputDef& o : def.outputs()) {
    auto s = meta["seeds"].find(o.name);
    seeds.push_back(s == meta["seeds"].end()
                        ? Tensor()
                        : load_npy(dir + "/" + s->get<std::string>(), Device::reference()));
  }
  double rtol = meta.value("rtol", 1e-7), atol = meta.value("atol", 1e-9);

  for (DType dtype : {DType::f64, DType::f32}) {
    if (dtype == DType::f32 && kNoF32Variant.count(def.name())) continue;
    bool f64 = dtype == DType::f64;
    INFO(dir << " in " << dtype);
    auto in = inputs;
    for (auto& [name, list] : in)
      for (Tensor& t : list)
        if (is_floating(t.dtype())) t = t.to(dtype);
    std::vector<Tensor> s;
    for (const Tensor& seed : seeds) s.push_back(seed.defined() ? seed.to(dtype) : seed);
    bool has_seed = std::any_of(s.begin(), s.end(), [](const Tensor& t) { return t.defined(); });
    Evaluation e = evaluate(def, in, attrs, has_seed ? s : std::vector<Tensor>{});
    for (size_t k = 0; k < def.outputs().size(); ++k) {
      const std::string& name = def.outputs()[k].name;
      INFO("output " << name);
      Tensor expected = load_npy(dir + "/" + meta["outputs"][name].get<std::string>(),
                                 Device::reference());
      Tensor actual = e.outputs[k];
      if (!f64 && is_floating(expected.dtype())) {
        expected = expected.to(DType::f64);
        actual = actual.to(DType::f64);
      }
      CHECK(compare(actual, expected, f64 ? atol : 1e-5, f64 ? rtol : 1e-4) == "");
    }
    for (auto& [name, files] : meta["grads"].items()) {
      for (size_t i = 0; i < files.size(); ++i) {
        INFO("gradient of " << name << "[" << i << "]");
        Tensor expected = load_npy(dir + "/" + files[i].get<std::string>(), Device::reference());
        REQUIRE(e.grads.count(name));
        REQUIRE(e.grads[name][i].defined());
        CHECK(compare(e.grads[name][i].to(DType::f64), expected, f64 ? atol : 1e-5,
                      f64 ? rtol : 1e-4) == "");
      }
    }
  }
}

}  // namespace lathe::test
