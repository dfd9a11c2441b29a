// Linear layer: y = x W^T + b (ops/nn/linear.cpp), W [out, in], b [out].
// Initialization as PyTorch's nn.Linear: W and b uniform in [-1/sqrt(in), 1/sqrt(in)].
#pragma once

#include "models/module.h"

namespace lathe::nn {

class Linear : public Layer {
 public:
  Linear(int64_t in_features, int64_t out_features, bool bias = true,
         DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& x) override;

  Tensor weight;  // [out, in]
  Tensor bias;    // [out]; undefined without bias
};

}  // namespace lathe::nn
