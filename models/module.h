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
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.h"

namespace lathe::nn {

using StateDict = std::map<std::string, Tensor>;

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

 private:
  void check_name(const std::string& name) const;
  void collect(const std::string& prefix, bool recurse, bool params,
               std::vector<std::pair<std::string, Tensor>>& out) const;

  std::vector<std::pair<std::string, Tensor>> params_;
  std::vector<std::pair<std::string, Tensor>> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

// A module with one input and one output: what Sequential chains.
class Layer : public Module {
 public:
  virtual Tensor forward(const Tensor& x) = 0;
  Tensor operator()(const Tensor& x) { return forward(x); }
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
