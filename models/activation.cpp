#include "models/activation.h"

#include "ops/composite.h"

namespace lathe::nn {

Tensor ReLU::forward(const Tensor& x) { return relu(x); }

GELU::GELU(const std::string& approximate_) : approximate(approximate_) {
  LATHE_CHECK(approximate == "none" || approximate == "tanh",
              "[GELU] approximate must be \"none\" or \"tanh\", got \"", approximate, "\"");
}

Tensor GELU::forward(const Tensor& x) { return gelu(x, approximate); }

Tensor SiLU::forward(const Tensor& x) { return silu(x); }

Tensor Tanh::forward(const Tensor& x) { return tanh(x); }

Tensor Sigmoid::forward(const Tensor& x) { return sigmoid(x); }

Softmax::Softmax(int64_t axis_) : axis(axis_) {}

Tensor Softmax::forward(const Tensor& x) { return softmax(x, axis); }

Activation::Activation(const std::string& name_) : name(name_) {
  check_activation("Activation", name);
}

Tensor Activation::forward(const Tensor& x) { return activation("Activation", name, x); }

std::shared_ptr<Layer> make_activation(const std::string& name, const std::string& who) {
  check_activation(who.c_str(), name);
  return std::make_shared<Activation>(name);
}

}  // namespace lathe::nn
