#include "models/crrelu.h"

#include "ops/activation/activation.h"

namespace lathe::nn {

CRReLU::CRReLU(double eps_, DType dtype, Device device) {
  eps = add_parameter("eps", scalar(eps_, dtype, device));
}

Tensor CRReLU::forward(const Tensor& x) { return crrelu(x, eps); }

}  // namespace lathe::nn
