#include "ops/kan/common.h"

namespace lathe::kan {

void check_phases(const char* op, const Tensor& x, const Tensor& low, const Tensor& high,
                  int64_t width) {
  check_floating(op, "low", low);
  check_floating(op, "high", high);
  int64_t in = x.shape().back();
  bool shared = low.dim() == 1 && low.size(0) == width;
  bool per_feature = low.dim() == 2 && low.size(0) == in && low.size(1) == width;
  LATHE_CHECK(shared || per_feature, "[", op, "] low must be [g + k = ", width, "] or [in = ", in,
              ", ", width, "], got ", low.shape());
  check_shape(op, "high", high, low.shape());
}

Tensor layer_norm_last(const char* op, const Tensor& x, const Tensor& weight, const Tensor& bias,
                       double eps) {
  Shape features{x.shape().back()};
  if (weight.defined()) check_shape(op, "norm_weight", weight, features);
  if (bias.defined()) check_shape(op, "norm_bias", bias, features);
  return layer_norm(x, weight, bias, {}, eps);
}

Tensor per_feature(const Tensor& x) { return unsqueeze(x, -1); }

}  // namespace lathe::kan
