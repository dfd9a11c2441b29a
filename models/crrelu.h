// CRReLU: the module form of the crrelu op (ops/activation/crrelu.cpp),
// relu(x) + eps x exp(-x^2 / 2) with one learnable scalar parameter `eps` [] initialized to
// 0.01 (catalog: activation.md); no buffers.
#pragma once

#include "models/module.h"

namespace lathe::nn {

class CRReLU : public Layer {
 public:
  explicit CRReLU(double eps = 0.01, DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& x) override;

  Tensor eps;  // []
};

}  // namespace lathe::nn
