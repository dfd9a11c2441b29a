#include "models/calibration.h"

#include "losses/calibration/calibration.h"

namespace lathe::nn {

TemperatureScaling::TemperatureScaling(double initial, DType dtype, Device device) {
  LATHE_CHECK(initial > 0, "[TemperatureScaling] the temperature must be > 0, got ", initial);
  temperature = add_parameter("temperature", full({1}, initial, dtype, device));
}

Tensor TemperatureScaling::forward(const Tensor& logits) {
  return temperature_scaling(logits, temperature);
}

}  // namespace lathe::nn
