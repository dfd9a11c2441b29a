// Activation layers: the module forms of the elementwise activation ops (and softmax), with no
// parameters, for Sequential and the example models. The formulas live with the ops:
//   ReLU     max(x, 0)
//   GELU     x Phi(x), or the tanh approximation 0.5 x (1 + tanh(sqrt(2/pi)(x + 0.044715 x^3)))
//   SiLU     x sigmoid(x)
//   Tanh     tanh(x)
//   Sigmoid  1 / (1 + exp(-x))
//   Softmax  exp(x_i) / sum_j exp(x_j) along `axis`
#pragma once

#include <memory>
#include <string>

#include "models/module.h"

namespace lathe::nn {

class ReLU : public Layer {
 public:
  Tensor forward(const Tensor& x) override;
};

class GELU : public Layer {
 public:
  explicit GELU(const std::string& approximate = "none");  // "none" (erf) or "tanh"
  Tensor forward(const Tensor& x) override;

  std::string approximate;
};

class SiLU : public Layer {
 public:
  Tensor forward(const Tensor& x) override;
};

class Tanh : public Layer {
 public:
  Tensor forward(const Tensor& x) override;
};

class Sigmoid : public Layer {
 public:
  Tensor forward(const Tensor& x) override;
};

class Softmax : public Layer {
 public:
  explicit Softmax(int64_t axis = -1);
  Tensor forward(const Tensor& x) override;

  int64_t axis;
};

// Any activation of the one table of names (ops/composite.h: relu, gelu, gelu_tanh, silu, tanh,
// sigmoid, leaky_relu, elu, selu, softplus) as a layer; an unknown name throws.
class Activation : public Layer {
 public:
  explicit Activation(const std::string& name);
  Tensor forward(const Tensor& x) override;

  std::string name;
};

// The activation layer named by `name` (Activation's table). `who` names the caller in the
// error for an unknown name.
std::shared_ptr<Layer> make_activation(const std::string& name, const std::string& who);

}  // namespace lathe::nn
