#include "models/optim/optimizer.h"

#include <algorithm>
#include <cmath>

#include "core/autograd.h"

namespace lathe::optim {

Optimizer::Optimizer(std::string name, std::vector<Tensor> params, double lr)
    : name_(std::move(name)), params_(std::move(params)), state_(params_.size()) {
  LATHE_CHECK(!params_.empty(), "[", name_, "] got an empty parameter list");
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor& p = params_[i];
    LATHE_CHECK(p.defined(), "[", name_, "] parameter ", i, " is undefined");
    LATHE_CHECK(is_floating(p.dtype()), "[", name_, "] parameter ", i,
                " must be a floating tensor, got ", p.dtype());
    LATHE_CHECK(p.is_leaf(), "[", name_, "] parameter ", i,
                " is not a leaf tensor (it was computed by an op); optimize the leaf it came from");
    for (size_t j = 0; j < i; ++j)
      LATHE_CHECK(params_[j].impl() != p.impl(), "[", name_, "] parameter ", i,
                  " is the same tensor as parameter ", j);
  }
  set_lr(lr);
}

void Optimizer::check_non_negative(const char* what, double value) const {
  LATHE_CHECK(value >= 0.0, "[", name_, "] ", what, " must be >= 0, got ", value);
}

void Optimizer::set_lr(double lr) {
  check_non_negative("lr", lr);
  LATHE_CHECK(std::isfinite(lr), "[", name_, "] lr must be finite, got ", lr);
  lr_ = lr;
}

void Optimizer::step() {
  NoGradGuard no_grad;
  for (size_t i = 0; i < params_.size(); ++i) {
    Tensor grad = params_[i].grad();
    if (!grad.defined()) continue;
    update(params_[i], grad.detach(), state_[i]);
  }
}

void Optimizer::zero_grad() {
  for (Tensor& p : params_) p.zero_grad();
}

StateDict Optimizer::state_dict() const {
  StateDict out;
  out["lr"] = scalar(lr_, DType::f64, Device::reference());
  for (size_t i = 0; i < params_.size(); ++i) {
    const ParamState& st = state_[i];
    if (st.empty()) continue;
    std::string prefix = "state." + std::to_string(i) + ".";
    if (counts_steps())
      out[prefix + "step"] = scalar(static_cast<double>(st.step), DType::i64, Device::reference());
    NoGradGuard no_grad;
    for (const auto& [name, t] : st.buffers) out[prefix + name] = t.clone();
  }
  return out;
}

namespace {
// "state.<i>.<name>" -> (i, name); false for anything else (leading zeros included).
bool parse_state_key(const std::string& key, size_t& index, std::string& name) {
  const std::string head = "state.";
  if (key.compare(0, head.size(), head) != 0) return false;
  size_t dot = key.find('.', head.size());
  if (dot == std::string::npos || dot == head.size() || dot + 1 == key.size()) return false;
  std::string digits = key.substr(head.size(), dot - head.size());
  if (digits.size() > 9 || (digits.size() > 1 && digits[0] == '0')) return false;
  for (char c : digits)
    if (c < '0' || c > '9') return false;
  index = std::stoul(digits);
  name = key.substr(dot + 1);
  return true;
}

// A one-element tensor holding a non-negative integer.
bool is_count(const Tensor& t) {
  if (t.numel() != 1) return false;
  double v = t.item();
  return v >= 0 && v == std::floor(v) && v < 9.0e15;
}
}  // namespace

void Optimizer::load_state_dict(const StateDict& state) {
  const std::string op = "[" + name_ + "] load_state_dict: ";
  std::vector<std::string> buffers = buffer_names();
  bool steps = counts_steps();
  std::vector<std::vector<std::string>> seen(params_.size());  // state names given per parameter

  for (const auto& [key, t] : state) {
    LATHE_CHECK(t.defined(), op, "'", key, "' is undefined");
    if (key == "lr") {
      LATHE_CHECK(t.numel() == 1, op, "'lr' must hold one element, got shape ", t.shape());
      double lr = t.item();
      LATHE_CHECK(lr >= 0.0 && std::isfinite(lr), op, "'lr' must be finite and >= 0, got ", lr);
      continue;
    }
    size_t i = 0;
    std::string name;
    bool known = parse_state_key(key, i, name) && i < params_.size();
    bool is_buffer = known && std::find(buffers.begin(), buffers.end(), name) != buffers.end();
    bool is_step = known && steps && name == "step";
    LATHE_CHECK(is_buffer || is_step, op, "unexpected key '", key, "'");
    if (is_step) {
      LATHE_CHECK(is_count(t), op, "'", key, "' must be one non-negative integer, got shape ",
                  t.shape());
    } else {
      LATHE_CHECK(t.shape() == params_[i].shape(), op, "'", key, "' has shape ", t.shape(),
                  ", parameter ", i, " has shape ", params_[i].shape());
      LATHE_CHECK(is_floating(t.dtype()), op, "'", key, "' must be floating, got ", t.dtype());
    }
    seen[i].push_back(name);
  }
  LATHE_CHECK(state.count("lr"), op, "missing key 'lr'");
  for (size_t i = 0; i < params_.size(); ++i) {
    if (seen[i].empty()) continue;  // parameter i has not been updated yet
    std::vector<std::string> want = buffers;
    if (steps) want.insert(want.begin(), "step");
    for (const std::string& name : want)
      LATHE_CHECK(std::find(seen[i].begin(), seen[i].end(), name) != seen[i].end(), op,
                  "missing key 'state.", i, ".", name, "' (parameter ", i,
                  " has other state entries)");
  }

  NoGradGuard no_grad;
  std::vector<ParamState> loaded(params_.size());
  for (size_t i = 0; i < params_.size(); ++i) {
    if (seen[i].empty()) continue;
    std::string prefix = "state." + std::to_string(i) + ".";
    const Tensor& p = params_[i];
    if (steps) loaded[i].step = static_cast<int64_t>(state.at(prefix + "step").item());
    for (const std::string& name : buffers) {
      Tensor buf = empty(p.shape(), p.dtype(), p.device());
      buf.copy_(state.at(prefix + name));
      loaded[i].buffers[name] = buf;
    }
  }
  set_lr(state.at("lr").item());
  state_ = std::move(loaded);
}

}  // namespace lathe::optim
