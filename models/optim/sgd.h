// SGD with momentum, dampening, Nesterov momentum and L2 weight decay, as torch.optim.SGD
// (PyTorch 1.13, https://pytorch.org/docs/1.13/generated/torch.optim.SGD.html). For gradient g
// of parameter p:
//   d = g + weight_decay * p
//   with momentum: buf = d on the parameter's first update, else buf = momentum * buf
//                  + (1 - dampening) * d;  d = d + momentum * buf (Nesterov) or d = buf
//   p = p - lr * d
// The momentum buffer starts as the first gradient, undamped (PyTorch; SGDP starts from zero).
// Nesterov needs momentum > 0 and dampening 0. State: "momentum_buffer" (with momentum only).
#pragma once

#include "models/optim/optimizer.h"

namespace lathe::optim {

struct SGDOptions {
  double momentum = 0.0;
  double dampening = 0.0;
  double weight_decay = 0.0;
  bool nesterov = false;
};

class SGD : public Optimizer {
 public:
  SGD(std::vector<Tensor> params, double lr, SGDOptions options = {});

  const SGDOptions& options() const { return options_; }
  double momentum() const override { return options_.momentum; }
  void set_momentum(double momentum) override;

 protected:
  void update(Tensor& param, const Tensor& grad, ParamState& state) override;
  std::vector<std::string> buffer_names() const override { return {"momentum_buffer"}; }
  bool counts_steps() const override { return false; }

 private:
  void check_nesterov() const;
  SGDOptions options_;
};

}  // namespace lathe::optim
