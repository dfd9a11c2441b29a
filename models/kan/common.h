// Initializers the KAN modules share.
#pragma once

#include "core/tensor.h"

namespace lathe::nn {

// PyTorch's kaiming_uniform_(a) with fan_in: U(-b, b), b = sqrt(6 / ((1 + a^2) fan_in)).
Tensor kaiming_uniform(const Shape& shape, double a, int64_t fan_in, DType dtype, Device device);

}  // namespace lathe::nn
