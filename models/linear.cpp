#include "models/linear.h"

#include <cmath>

#include "core/random.h"
#include "ops/nn/nn.h"

namespace lathe::nn {

Linear::Linear(int64_t in, int64_t out, bool with_bias, DType dtype, Device device) {
  LATHE_CHECK(in > 0 && out > 0, "[Linear] features must be positive, got ", in, " -> ", out);
  double bound = 1.0 / std::sqrt(static_cast<double>(in));
  weight = add_parameter("weight", uniform({out, in}, -bound, bound, dtype, device));
  if (with_bias) bias = add_parameter("bias", uniform({out}, -bound, bound, dtype, device));
}

Tensor Linear::forward(const Tensor& x) { return linear(x, weight, bias); }

}  // namespace lathe::nn
