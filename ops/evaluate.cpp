#include "ops/evaluate.h"

#include <cmath>
#include <sstream>

#include "core/autograd.h"
#include "core/random.h"
#include "ops/ops.h"

namespace lathe {

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

std::vector<Tensor> make_seeds(const OpDef& def, const Outputs& outputs, uint64_t salt) {
  std::vector<Tensor> seeds;
  Generator gen(0x5eed0000ull + salt);
  for (size_t k = 0; k < outputs.size(); ++k) {
    const Tensor& o = outputs[k];
    bool seeded = is_floating(o.dtype()) && !def.is_state(def.outputs()[k].name);
    seeds.push_back(seeded ? randn(o.shape(), DType::f64, o.device(), &gen).to(o.dtype())
                           : Tensor());
  }
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
  std::vector<Tensor> seeds = given_seeds.empty() ? make_seeds(def, e.outputs, 0) : given_seeds;
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

Tensor strided_copy(const Tensor& t) {
  if (t.dim() == 0 || t.numel() <= 1) return t;
  Shape wide = t.shape();
  wide[wide.size() - 1] *= 2;
  Tensor buffer = zeros(wide, t.dtype(), t.device());
  Tensor view = slice(buffer, -1, 0, kEnd, 2);
  view.copy_(t);
  return view;
}

}  // namespace lathe
