// A small convolutional network for 28 x 28 images (Fashion-MNIST), the CNN teacher of
// `lathe train --teacher cnn`: as the torch.nn.Sequential
//   Conv2d(1, c1, 3, padding 1), ReLU, MaxPool2d(2),
//   Conv2d(c1, c2, 3, padding 1), ReLU, MaxPool2d(2),
//   Flatten(), Linear(c2 * 7 * 7, hidden), ReLU, Dropout(dropout), Linear(hidden, classes)
// so its state-dict keys are "0.weight", "0.bias", "3.weight", "3.bias", "7.weight", ...
// x [B, 784] or [B, 1, 28, 28] -> logits [B, classes].
#pragma once

#include "models/module.h"

namespace lathe::nn {

class CNN : public Sequential {
 public:
  CNN(int64_t channels1 = 32, int64_t channels2 = 64, int64_t hidden = 128,
      int64_t classes = 10, double dropout = 0.25, DType dtype = DType::f32,
      Device device = default_device());
  Tensor forward(const Tensor& x) override;
};

}  // namespace lathe::nn
