// Optimizer: the base of every parameter-update rule in models/optim/.
//
//   lathe::optim::Adam opt(model.parameters(), 1e-3);
//   for (...) { opt.zero_grad(); loss(model, batch).backward(); opt.step(); }
//
// An optimizer holds handles to its parameters and updates them in place under NoGradGuard, so
// a module (and anything else holding the same handles) sees every step. A parameter whose
// gradient is undefined at step() is skipped: its state, step counter included, is untouched
// (PyTorch behaviour). There is one parameter group; its learning rate is lr()/set_lr(), which
// the schedulers of lr_scheduler.h drive.
//
// State dict (a snapshot: the tensors are copies, so later steps do not change a saved dict):
//   "lr"                   f64 scalar []
//   "state.<i>.step"       i64 scalar []: updates applied to parameter i (Adam, AdamW, AdamP)
//   "state.<i>.<buffer>"   parameter i's buffer, its shape, dtype and device:
//                          SGD "momentum_buffer" (only with momentum), SGDP "momentum_buffer",
//                          Adam/AdamW "exp_avg", "exp_avg_sq", "max_exp_avg_sq" (amsgrad),
//                          AdamP "exp_avg", "exp_avg_sq"
// <i> is the parameter's position in the list given to the constructor, in decimal. A parameter
// that has not been updated yet has no "state.<i>." keys, as in PyTorch. Scalars live on the
// reference (host) device. load_state_dict is strict: it names the first key that is unexpected,
// missing (lr, or one entry of a parameter whose other entries are present) or mis-shaped, and
// changes nothing unless every check passed. Buffers are copied (converted to the parameter's
// dtype and device), so the loaded dict is not aliased either.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "models/module.h"

namespace lathe::optim {

using StateDict = nn::StateDict;

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // Updates every parameter that has a gradient, in place.
  void step();
  // Drops every parameter's gradient (PyTorch's set_to_none=True, the default since 2.0), so a
  // parameter left out of the next backward is skipped by the next step.
  void zero_grad();

  const std::string& name() const { return name_; }  // "SGD", "Adam", ...: the prefix of errors
  const std::vector<Tensor>& params() const { return params_; }
  double lr() const { return lr_; }
  void set_lr(double lr);
  // The momentum one-cycle schedules cycle: SGD/SGDP momentum, Adam/AdamW/AdamP beta1.
  virtual double momentum() const = 0;
  virtual void set_momentum(double momentum) = 0;

  StateDict state_dict() const;
  void load_state_dict(const StateDict& state);

 protected:
  // Checks the parameters: at least one; each defined, floating, a leaf, and listed once.
  Optimizer(std::string name, std::vector<Tensor> params, double lr);

  // A parameter's state: a step counter and named buffers. Empty (step 0, no buffers) until the
  // first update, which creates the buffers.
  struct ParamState {
    int64_t step = 0;
    std::map<std::string, Tensor> buffers;
    bool empty() const { return step == 0 && buffers.empty(); }
  };

  // One parameter's update, run under NoGradGuard; grad is detached.
  virtual void update(Tensor& param, const Tensor& grad, ParamState& state) = 0;
  // The buffers a non-empty state holds in the current configuration, and whether it counts
  // steps: what state_dict writes and load_state_dict requires.
  virtual std::vector<std::string> buffer_names() const = 0;
  virtual bool counts_steps() const = 0;

  // Error helpers: "[<name>] <what> must be >= 0, got <value>".
  void check_non_negative(const char* what, double value) const;

 private:
  std::string name_;
  std::vector<Tensor> params_;
  std::vector<ParamState> state_;
  double lr_ = 0.0;
};

}  // namespace lathe::optim
