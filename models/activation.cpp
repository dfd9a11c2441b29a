#include "models/activation.h"

#include "ops/ops.h"

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

std::shared_ptr<Layer> make_activation(const std::string& name, const std::string& who) {
  if (name == "relu") return std::make_shared<ReLU>();
  if (name == "gelu") return std::make_shared<GELU>();
  if (name == "gelu_tanh") return std::make_shared<GELU>("tanh");
  if (name == "silu") return std::make_shared<SiLU>();
  if (name == "tanh") return std::make_shared<Tanh>();
  if (name == "sigmoid") return std::make_shared<Sigmoid>();
  LATHE_FAIL("[", who, "] unknown activation \"", name,
             "\" (relu, gelu, gelu_tanh, silu, tanh, sigmoid)");
}

}  // namespace lathe::nn
