#include "ops/gradcheck.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "core/autograd.h"
#include "core/backend_registry.h"
#include "core/random.h"
#include "ops/ops.h"

namespace lathe {

namespace {

// The element at row-major position i of a host f64 tensor, through its strides.
double& element(const Tensor& t, int64_t i) {
  int64_t offset = 0;
  for (int d = t.dim() - 1; d >= 0; --d) {
    offset += (i % t.shape()[d]) * t.strides()[d];
    i /= t.shape()[d];
  }
  return t.data<double>()[offset];
}

struct Problem {
  const OpDef* def;
  std::map<std::string, AttrValue> attrs;
  std::map<std::string, std::vector<Tensor>> inputs;  // differentiable ones are leaves
  std::vector<Tensor> wrt;                            // those leaves
  std::vector<std::string> names;
  std::vector<Tensor> seeds;                          // one per output (undefined: not float)

  Tensor total() const {
    Outputs out = run_op(*def, inputs, attrs);
    Tensor t;
    for (size_t k = 0; k < out.size(); ++k) {
      if (!seeds[k].defined()) continue;
      Tensor term = sum(out[k] * seeds[k]);
      t = t.defined() ? t + term : term;
    }
    return t;
  }

  // d total / d wrt (zeros where the op gives no gradient).
  std::vector<Tensor> first_grads(bool create_graph) const {
    Tensor t = total();
    std::vector<Tensor> g(wrt.size());
    if (t.defined() && t.requires_grad())
      g = grad({t}, wrt, {}, {create_graph, create_graph, true});
    for (size_t j = 0; j < g.size(); ++j)
      if (!g[j].defined()) g[j] = zeros_like(wrt[j].detach());
    return g;
  }
};

// The row-major elements of `var` to perturb: all of them, or the max_elements whose random
// keys are smallest (a uniform subset without repeats), in increasing order.
std::vector<int64_t> elements_to_check(const Tensor& var, const GradcheckOptions& o,
                                       Generator& sampler) {
  int64_t n = var.numel();
  std::vector<int64_t> picks(static_cast<size_t>(n));
  std::iota(picks.begin(), picks.end(), int64_t{0});
  if (o.max_elements <= 0 || n <= o.max_elements) return picks;
  std::vector<double> key = rand({n}, DType::f64, var.device(), &sampler).to_vector<double>();
  auto by_key = [&key](int64_t a, int64_t b) {
    return key[a] < key[b] || (key[a] == key[b] && a < b);
  };
  std::partial_sort(picks.begin(), picks.begin() + o.max_elements, picks.end(), by_key);
  picks.resize(static_cast<size_t>(o.max_elements));
  std::sort(picks.begin(), picks.end());
  return picks;
}

template <typename F>
GradcheckResult compare_numeric(int order, const std::string& name, const Tensor& var,
                                const Tensor& analytic, const GradcheckOptions& o,
                                Generator& sampler, F f) {
  GradcheckResult r;
  r.order = order;
  r.wrt = name;
  r.numel = var.numel();
  std::vector<double> a = analytic.to_vector<double>();
  std::vector<int64_t> picks = elements_to_check(var, o, sampler);
  r.checked = static_cast<int64_t>(picks.size());
  double worst_excess = 0;
  for (int64_t i : picks) {
    double& x = element(var, i);
    double saved = x;
    x = saved + o.eps;
    double plus = f();
    x = saved - o.eps;
    double minus = f();
    x = saved;
    double numeric = (plus - minus) / (2 * o.eps);
    double err = std::fabs(a[i] - numeric);
    if (std::isnan(err)) err = INFINITY;
    double excess = err - (o.atol + o.rtol * std::fabs(numeric));
    if (std::isnan(excess) || !std::isfinite(numeric)) excess = INFINITY;  // never a pass
    r.max_abs_error = std::max(r.max_abs_error, err);
    if (numeric != 0) r.max_rel_error = std::max(r.max_rel_error, err / std::fabs(numeric));
    if (r.worst_index < 0 || excess > worst_excess) {
      worst_excess = excess;
      r.worst_index = i;
      r.analytic = a[i];
      r.numeric = numeric;
    }
    if (excess > 0) r.ok = false;
  }
  return r;
}

}  // namespace

bool GradcheckReport::ok() const {
  for (const GradcheckResult& r : results)
    if (!r.ok) return false;
  return true;
}

std::string GradcheckReport::str() const {
  std::ostringstream os;
  os.precision(3);
  for (const GradcheckResult& r : results) {
    os << (r.order == 1 ? "first " : "second") << " order  d/d " << r.wrt << ": max abs error "
       << std::scientific << r.max_abs_error << ", max rel error " << r.max_rel_error
       << std::defaultfloat;
    if (r.checked < r.numel) os << " (sampled " << r.checked << " of " << r.numel << " elements)";
    if (!r.ok)
      os << "  FAILED at element " << r.worst_index << " (analytic " << r.analytic
         << ", numeric " << r.numeric << ")";
    os << "\n";
  }
  return os.str();
}

GradcheckReport gradcheck(const OpDef& def,
                          const std::map<std::string, std::vector<Tensor>>& inputs,
                          const std::map<std::string, AttrValue>& attrs,
                          const GradcheckOptions& o) {
  Problem p;
  p.def = &def;
  p.attrs = attrs;
  p.inputs = inputs;
  for (const InputDef& d : def.inputs()) {
    auto it = p.inputs.find(d.name);
    if (it == p.inputs.end()) continue;
    for (size_t i = 0; i < it->second.size(); ++i) {
      Tensor& t = it->second[i];
      if (!is_floating(t.dtype())) continue;
      LATHE_CHECK(t.dtype() == DType::f64 && backend(t.device()).host_memory(), "[gradcheck] ",
                  def.name(), ": input '", d.name, "' must be f64 in host memory, got ", t.dtype(),
                  " on ", t.device());
      if (!d.differentiable) continue;
      t = t.detach().requires_grad_();
      p.wrt.push_back(t);
      p.names.push_back(it->second.size() > 1 ? d.name + "[" + std::to_string(i) + "]" : d.name);
    }
  }
  LATHE_CHECK(!p.wrt.empty(), "[gradcheck] ", def.name(), " has no differentiable float input");

  Generator gen(o.seed);
  // Samples come from their own counter range, so the seeds and directions drawn from `gen`
  // are the same whether or not a variable is sampled.
  Generator sampler;
  sampler.set_state(o.seed, uint64_t{1} << 62);
  Outputs probe;
  {
    NoGradGuard no_grad;
    probe = run_op(def, p.inputs, attrs);
  }
  for (size_t k = 0; k < probe.size(); ++k) {
    const Tensor& y = probe[k];
    bool seeded = is_floating(y.dtype()) && !def.is_state(def.outputs()[k].name);
    p.seeds.push_back(seeded ? randn(y.shape(), DType::f64, y.device(), &gen).to(y.dtype())
                             : Tensor());
  }

  bool any_seed = false;
  for (const Tensor& s : p.seeds) any_seed = any_seed || s.defined();
  LATHE_CHECK(any_seed, "[gradcheck] ", def.name(), " has no floating output to differentiate");

  GradcheckReport report;
  std::vector<Tensor> g1 = p.first_grads(false);
  auto total_value = [&] {
    NoGradGuard no_grad;
    return p.total().item();
  };
  for (size_t j = 0; j < p.wrt.size(); ++j)
    report.results.push_back(
        compare_numeric(1, p.names[j], p.wrt[j], g1[j], o, sampler, total_value));
  if (!o.second_order) return report;

  // Second order. Seeds in f64 become variables too.
  std::vector<Tensor> v;
  for (const Tensor& g : g1) v.push_back(randn(g.shape(), DType::f64, g.device(), &gen));
  std::vector<Tensor> vars = p.wrt;
  std::vector<std::string> names = p.names;
  for (size_t k = 0; k < p.seeds.size(); ++k) {
    if (!p.seeds[k].defined() || p.seeds[k].dtype() != DType::f64) continue;
    p.seeds[k] = p.seeds[k].detach().requires_grad_();
    vars.push_back(p.seeds[k]);
    names.push_back("seed of " + def.outputs()[k].name);
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
  std::vector<Tensor> g2(vars.size());
  if (h.requires_grad()) g2 = grad({h}, vars, {}, {false, false, true});
  for (size_t j = 0; j < vars.size(); ++j)
    if (!g2[j].defined()) g2[j] = zeros_like(vars[j].detach());
  auto h_value = [&] { return h_of(p.first_grads(false)).item(); };
  for (size_t j = 0; j < vars.size(); ++j)
    report.results.push_back(compare_numeric(2, names[j], vars[j], g2[j], o, sampler, h_value));
  return report;
}

}  // namespace lathe
