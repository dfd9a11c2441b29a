// TempNetHead: the module form of the tempnet_head op (losses/lm/tempnet_head.cpp): parameters
// l1 (K -> hidden), l2 (hidden -> hidden) with nn::Linear's default init, l3 (hidden -> 1) with
// weight 1 and bias 0, and the log-scale s = 0, as the reference (zhqiu/TempNet tempnet.py).
// forward(logits) = tau [N, 1]; dropout 0.5 in train mode only.
#pragma once

#include "models/linear.h"
#include "models/module.h"

namespace lathe::nn {

class TempNetHead : public Layer {
 public:
  explicit TempNetHead(int64_t vocab, int64_t hidden = 256, double tau_min = 0.5,
                       double tau_max = 5.0, DType dtype = DType::f32,
                       Device device = default_device());
  Tensor forward(const Tensor& logits) override;

  std::shared_ptr<Linear> l1, l2, l3;
  Tensor s;  // [] log-scale of the softmax gate
  double tau_min, tau_max;
};

}  // namespace lathe::nn
