// Module: the owner of parameters (trainable leaves), buffers (state such as running
// statistics, DESIGN rule 9) and submodules, with train/eval mode and state dicts.
//
//   class Mlp : public lathe::nn::Layer {
//    public:
//     Mlp() : fc1(add_module("fc1", std::make_shared<Linear>(784, 256))),
//             fc2(add_module("fc2", std::make_shared<Linear>(256, 10))) {}
//     Tensor forward(const Tensor& x) override { return fc2->forward(relu(fc1->forward(x))); }
//     std::shared_ptr<Linear> fc1, fc2;
//   };
//
// Names nest with dots ("fc1.weight"), as in PyTorch, so state dicts line up with its modules.
// Parameters and buffers are tensor handles: updating one in place (an optimizer step,
// load_state_dict, to()) updates it everywhere it is referenced, so a layer keeps plain Tensor
// members for them. A stateful layer updates its buffers in place (copy_ under NoGradGuard).
// Forward hooks (PyTorch's register_forward_hook) see a module's input and output whenever it
// runs through Layer::operator(); feature taps (models/taps.h) are built on them, so a feature
// distillation objective reads intermediate outputs without the model's code changing.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.h"

namespace lathe::nn {

using StateDict = std::map<std::string, Tensor>;

class Module;

// hook(module, input, output): observes; it cannot replace the output.
using ForwardHook = std::function<void(Module& module, const Tensor& input, const Tensor& output)>;

namespace detail {
struct ForwardHooks {
  std::vector<std::pair<uint64_t, ForwardHook>> hooks;  // in registration order
  uint64_t next_id = 0;
};
}  // namespace detail

// What register_forward_hook returns. remove() unregisters the hook (idempotent, and a no-op once
// the module is gone); dropping the handle does not, as in PyTorch.
class HookHandle {
 public:
  HookHandle() = default;
  void remove();
  bool active() const;

 private:
  friend class Module;
  HookHandle(std::weak_ptr<detail::ForwardHooks> list, uint64_t id)
      : list_(std::move(list)), id_(id) {}
  std::weak_ptr<detail::ForwardHooks> list_;
  uint64_t id_ = 0;
};

class Module {
 public:
  virtual ~Module() = default;

  // Named parameters and buffers of this module and (recurse) its submodules, in registration
  // order, with dotted names.
  std::vector<std::pair<std::string, Tensor>> named_parameters(bool recurse = true) const;
  std::vector<std::pair<std::string, Tensor>> named_buffers(bool recurse = true) const;
  std::vector<Tensor> parameters(bool recurse = true) const;
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& children() const {
    return children_;
  }

  // Train/eval mode, for this module and all submodules (dropout, running statistics).
  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  void zero_grad();

  // Every module of the tree with its dotted path ("" is this module), depth first in
  // registration order.
  std::vector<std::pair<std::string, Module*>> named_modules();
  // The module at a dotted path ("" is this module); an unknown path is an error that lists the
  // paths there are.
  Module& get_submodule(const std::string& path);

  // Called in registration order after each forward that runs through Layer::operator(), as
  // PyTorch's hooks run in __call__ (calling forward() directly runs none). With no hook
  // registered the call costs one null-pointer test.
  HookHandle register_forward_hook(ForwardHook hook);
  size_t num_forward_hooks() const { return hooks_ ? hooks_->hooks.size() : 0; }

  // Parameters and buffers, detached (the tensors themselves, not copies).
  StateDict state_dict() const;
  // Copies values into the existing tensors. strict: every key must match a parameter or buffer
  // and every parameter or buffer must have a key. Shapes must match; dtypes convert. Errors
  // name the key; nothing is copied unless every check passed.
  void load_state_dict(const StateDict& state, bool strict = true);

  // Moves parameters and buffers (in place: handles held elsewhere see the move).
  void to(Device device);
  void to(DType dtype);  // floating parameters and buffers only

 protected:
  // Return the registered handle; keep a copy as a member (it shares the tensor).
  Tensor add_parameter(const std::string& name, Tensor value);  // marks it requires_grad
  Tensor add_buffer(const std::string& name, Tensor value);
  template <typename M>
  std::shared_ptr<M> add_module(const std::string& name, std::shared_ptr<M> module) {
    check_name(name);
    children_.push_back({name, module});
    return module;
  }
  Tensor parameter(const std::string& name) const;
  Tensor buffer(const std::string& name) const;
  // For a module whose call is not Layer::operator() (several inputs): runs the hooks with its
  // main input.
  void run_forward_hooks(const Tensor& input, const Tensor& output);
  bool has_forward_hooks() const { return hooks_ && !hooks_->hooks.empty(); }

 private:
  void check_name(const std::string& name) const;
  void collect(const std::string& prefix, bool recurse, bool params,
               std::vector<std::pair<std::string, Tensor>>& out) const;

  std::vector<std::pair<std::string, Tensor>> params_;
  std::vector<std::pair<std::string, Tensor>> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  std::shared_ptr<detail::ForwardHooks> hooks_;  // null until the first hook
  bool training_ = true;
};

// A module with one input and one output: what Sequential chains.
class Layer : public Module {
 public:
  virtual Tensor forward(const Tensor& x) = 0;
  // forward(x), then the forward hooks: call submodules this way so that they can be tapped.
  Tensor operator()(const Tensor& x) {
    if (!has_forward_hooks()) return forward(x);
    Tensor y = forward(x);
    run_forward_hooks(x, y);
    return y;
  }
};

class Sequential : public Layer {
 public:
  Sequential() = default;
  explicit Sequential(std::vector<std::shared_ptr<Layer>> layers);
  Sequential& append(std::shared_ptr<Layer> layer);  // named "0", "1", ...
  Tensor forward(const Tensor& x) override;
  size_t size() const { return layers_.size(); }

 private:
  std::vector<std::shared_ptr<Layer>> layers_;
};

}  // namespace lathe::nn
