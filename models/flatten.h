// Flatten(start, end): merges axes start..end into one, as torch.nn.Flatten (defaults 1, -1:
// [B, C, H, W] -> [B, C H W], keeping the batch axis). A view when the strides allow it.
#pragma once

#include "models/module.h"

namespace lathe::nn {

class Flatten : public Layer {
 public:
  explicit Flatten(int64_t start_axis = 1, int64_t end_axis = -1);
  Tensor forward(const Tensor& x) override;

  int64_t start_axis, end_axis;
};

}  // namespace lathe::nn
