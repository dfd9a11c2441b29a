#include "models/module.h"

#include <algorithm>

#include "core/autograd.h"
#include "ops/ops.h"

namespace lathe::nn {

void Module::check_name(const std::string& name) const {
  LATHE_CHECK(!name.empty() && name.find('.') == std::string::npos, "[module] invalid name '",
              name, "' (non-empty, no dots)");
  auto taken = [&](const auto& list) {
    for (const auto& [n, v] : list)
      if (n == name) return true;
    return false;
  };
  LATHE_CHECK(!taken(params_) && !taken(buffers_) && !taken(children_), "[module] name '", name,
              "' registered twice");
}

Tensor Module::add_parameter(const std::string& name, Tensor value) {
  check_name(name);
  LATHE_CHECK(value.defined() && is_floating(value.dtype()), "[module] parameter '", name,
              "' must be a floating tensor");
  value = value.detach();
  value.requires_grad_();
  params_.push_back({name, value});
  return params_.back().second;
}

Tensor Module::add_buffer(const std::string& name, Tensor value) {
  check_name(name);
  LATHE_CHECK(value.defined(), "[module] buffer '", name, "' is undefined");
  buffers_.push_back({name, value.detach()});
  return buffers_.back().second;
}

Tensor Module::parameter(const std::string& name) const {
  for (const auto& [n, t] : params_)
    if (n == name) return t;
  LATHE_FAIL("[module] no parameter '", name, "'");
}

Tensor Module::buffer(const std::string& name) const {
  for (const auto& [n, t] : buffers_)
    if (n == name) return t;
  LATHE_FAIL("[module] no buffer '", name, "'");
}

void Module::collect(const std::string& prefix, bool recurse, bool params,
                     std::vector<std::pair<std::string, Tensor>>& out) const {
  for (const auto& [name, t] : params ? params_ : buffers_) out.push_back({prefix + name, t});
  if (!recurse) return;
  for (const auto& [name, child] : children_) child->collect(prefix + name + ".", true, params, out);
}

std::vector<std::pair<std::string, Tensor>> Module::named_parameters(bool recurse) const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect("", recurse, true, out);
  return out;
}

std::vector<std::pair<std::string, Tensor>> Module::named_buffers(bool recurse) const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect("", recurse, false, out);
  return out;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  std::vector<Tensor> out;
  for (auto& [name, t] : named_parameters(recurse)) out.push_back(t);
  return out;
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [name, child] : children_) child->train(on);
}

void Module::zero_grad() {
  for (Tensor& t : parameters()) t.zero_grad();
}

StateDict Module::state_dict() const {
  StateDict out;
  for (auto& [name, t] : named_parameters()) out[name] = t.detach();
  for (auto& [name, t] : named_buffers()) out[name] = t;
  return out;
}

void Module::load_state_dict(const StateDict& state, bool strict) {
  StateDict mine = state_dict();
  for (const auto& [name, src] : state) {
    auto it = mine.find(name);
    if (it == mine.end()) {
      LATHE_CHECK(!strict, "[load_state_dict] unexpected key '", name, "'");
      continue;
    }
    LATHE_CHECK(src.shape() == it->second.shape(), "[load_state_dict] '", name, "' has shape ",
                src.shape(), ", the module expects ", it->second.shape());
    // copy_ would cast silently: an i32 tensor where f32 weights belong loads as other values.
    LATHE_CHECK(src.dtype() == it->second.dtype(), "[load_state_dict] '", name, "' is ",
                src.dtype(), ", the module expects ", it->second.dtype(),
                " (cast the tensor first if a conversion is meant)");
  }
  if (strict)
    for (const auto& [name, t] : mine)
      LATHE_CHECK(state.count(name), "[load_state_dict] missing key '", name, "'");
  NoGradGuard no_grad;
  for (const auto& [name, src] : state) {
    auto it = mine.find(name);
    if (it != mine.end()) it->second.copy_(src);
  }
}

void HookHandle::remove() {
  auto list = list_.lock();
  if (!list) return;
  auto& hooks = list->hooks;
  hooks.erase(std::remove_if(hooks.begin(), hooks.end(),
                             [this](const auto& h) { return h.first == id_; }),
              hooks.end());
  list_.reset();
}

bool HookHandle::active() const {
  auto list = list_.lock();
  if (!list) return false;
  for (const auto& h : list->hooks)
    if (h.first == id_) return true;
  return false;
}

HookHandle Module::register_forward_hook(ForwardHook hook) {
  LATHE_CHECK(static_cast<bool>(hook), "[register_forward_hook] the hook is empty");
  if (!hooks_) hooks_ = std::make_shared<detail::ForwardHooks>();
  uint64_t id = hooks_->next_id++;
  hooks_->hooks.push_back({id, std::move(hook)});
  return HookHandle(hooks_, id);
}

void Module::run_forward_hooks(const Tensor& input, const Tensor& output) {
  if (!hooks_) return;
  // A copy: a hook may remove itself (or register another) while the list is walked.
  auto hooks = hooks_->hooks;
  for (auto& [id, hook] : hooks) hook(*this, input, output);
}

std::vector<std::pair<std::string, Module*>> Module::named_modules() {
  std::vector<std::pair<std::string, Module*>> out = {{"", this}};
  for (auto& [name, child] : children_)
    for (auto& [path, m] : child->named_modules())
      out.push_back({path.empty() ? name : name + "." + path, m});
  return out;
}

Module& Module::get_submodule(const std::string& path) {
  auto all = named_modules();
  for (auto& [p, m] : all)
    if (p == path) return *m;
  std::string known;
  for (auto& [p, m] : all)
    if (!p.empty()) known += (known.empty() ? "" : ", ") + p;
  LATHE_FAIL("[get_submodule] no module at path '", path, "'; the modules are: ",
             known.empty() ? "(none)" : known);
}

namespace {
// Rebinds every handle in `list` to a converted tensor, in place in the impl, so copies of the
// handle see the change.
void convert_all(std::vector<std::pair<std::string, Tensor>>& list,
                 const std::function<Tensor(const Tensor&)>& fn) {
  for (auto& [name, t] : list) {
    Tensor moved = fn(t.detach());
    TensorImpl& impl = *t.impl();
    impl.storage = moved.impl()->storage;
    impl.offset = moved.offset();
    impl.shape = moved.shape();
    impl.strides = moved.strides();
    impl.dtype = moved.dtype();
    impl.grad.reset();
  }
}
}  // namespace

void Module::to(Device device) {
  auto move = [device](const Tensor& t) { return t.to(device); };
  convert_all(params_, move);
  convert_all(buffers_, move);
  for (auto& [name, child] : children_) child->to(device);
}

void Module::to(DType dtype) {
  auto cast_float = [dtype](const Tensor& t) { return is_floating(t.dtype()) ? t.to(dtype) : t; };
  convert_all(params_, cast_float);
  convert_all(buffers_, cast_float);
  for (auto& [name, child] : children_) child->to(dtype);
}

Sequential::Sequential(std::vector<std::shared_ptr<Layer>> layers) {
  for (auto& l : layers) append(std::move(l));
}

Sequential& Sequential::append(std::shared_ptr<Layer> layer) {
  layers_.push_back(add_module(std::to_string(layers_.size()), std::move(layer)));
  return *this;
}

Tensor Sequential::forward(const Tensor& x) {
  Tensor h = x;
  for (auto& layer : layers_) h = (*layer)(h);
  return h;
}

}  // namespace lathe::nn
