// TemperatureScaling: the module form of the temperature_scaling op
// (losses/calibration/temperature_scaling.cpp): one parameter `temperature` [1], initialized
// to 1.5 as the reference's nn.Parameter(torch.ones(1) * 1.5); forward(z) = z / T. Fit it on
// frozen validation logits by minimizing cross_entropy(forward(z), y) over its parameter alone.
#pragma once

#include "models/module.h"

namespace lathe::nn {

class TemperatureScaling : public Layer {
 public:
  explicit TemperatureScaling(double initial = 1.5, DType dtype = DType::f32,
                              Device device = default_device());
  Tensor forward(const Tensor& logits) override;

  Tensor temperature;  // [1]
};

}  // namespace lathe::nn
