#include "models/kan/common.h"

#include <cmath>

#include "core/random.h"
#include "models/kan/kan.h"

namespace lathe::nn {

Tensor kaiming_uniform(const Shape& shape, double a, int64_t fan_in, DType dtype, Device device) {
  double bound = std::sqrt(6.0 / ((1.0 + a * a) * static_cast<double>(fan_in)));
  return uniform(shape, -bound, bound, dtype, device);
}

NormAffine::NormAffine(int64_t features, DType dtype, Device device) {
  weight = add_parameter("weight", ones({features}, dtype, device));
  bias = add_parameter("bias", zeros({features}, dtype, device));
}

}  // namespace lathe::nn
