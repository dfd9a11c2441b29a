#include "ops/kan/common.h"

#include <cmath>

namespace lathe::kan {

void check_float(const char* op, const char* what, const Tensor& t) {
  LATHE_CHECK(t.defined(), "[", op, "] ", what, " is missing");
  LATHE_CHECK(is_floating(t.dtype()), "[", op, "] ", what, " must be a floating tensor, got ",
              t.dtype());
}

void check_shape(const char* op, const char* what, const Tensor& t, const Shape& want) {
  LATHE_CHECK(t.shape() == want, "[", op, "] ", what, " must have shape ", want, ", got ",
              t.shape());
}

void check_phases(const char* op, const Tensor& x, const Tensor& low, const Tensor& high,
                  int64_t width) {
  check_float(op, "low", low);
  check_float(op, "high", high);
  int64_t in = x.shape().back();
  bool shared = low.dim() == 1 && low.size(0) == width;
  bool per_feature = low.dim() == 2 && low.size(0) == in && low.size(1) == width;
  LATHE_CHECK(shared || per_feature, "[", op, "] low must be [g + k = ", width, "] or [in = ", in,
              ", ", width, "], got ", low.shape());
  check_shape(op, "high", high, low.shape());
}

const char* const kActivationDoc =
    "silu | relu | leaky_relu | elu | selu | gelu | tanh | sigmoid | softplus";

void check_activation(const char* op, const std::string& name) {
  for (const char* known : {"silu", "relu", "leaky_relu", "elu", "selu", "gelu", "tanh", "sigmoid",
                            "softplus"})
    if (name == known) return;
  LATHE_FAIL("[", op, "] unknown activation '", name, "' (", kActivationDoc, ")");
}

Tensor activation(const char* op, const std::string& name, const Tensor& x) {
  check_activation(op, name);
  if (name == "silu") return silu(x);
  if (name == "relu") return relu(x);
  if (name == "gelu") return gelu(x);
  if (name == "tanh") return tanh(x);
  if (name == "sigmoid") return sigmoid(x);
  if (name == "leaky_relu") return where(gt(x, 0.0), x, x * 0.01);
  if (name == "elu" || name == "selu") {
    // exp of the clamped input: the branch where() discards must stay finite, or its zero
    // gradient times inf would be NaN.
    Tensor expm1_neg = exp(clamp(x, -INFINITY, 0.0)) - 1.0;
    if (name == "elu") return where(gt(x, 0.0), x, expm1_neg);
    const double alpha = 1.6732632423543772, scale = 1.0507009873554805;
    return scale * where(gt(x, 0.0), x, alpha * expm1_neg);
  }
  return softplus(x);  // the last name check_activation accepts
}

Tensor layer_norm_last(const char* op, const Tensor& x, const Tensor& weight, const Tensor& bias,
                       double eps) {
  Shape features{x.shape().back()};
  if (weight.defined()) check_shape(op, "norm_weight", weight, features);
  if (bias.defined()) check_shape(op, "norm_bias", bias, features);
  Tensor centered = x - mean(x, {-1}, true);                    // [..., D]
  Tensor var = mean(centered * centered, {-1}, true);           // [..., 1]
  Tensor y = centered * rsqrt(var + eps);                       // [..., D]
  if (weight.defined()) y = y * weight;
  if (bias.defined()) y = y + bias;
  return y;
}

Tensor per_feature(const Tensor& x) { return unsqueeze(x, -1); }

}  // namespace lathe::kan
