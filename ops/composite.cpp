// The composite kit's checks, reductions and activation table (ops/composite.h).
#include "ops/composite.h"

#include <cmath>

namespace lathe {

void check_floating(const char* op, const Tensor& x) {
  LATHE_CHECK(x.defined(), "[", op, "] got an undefined tensor");
  LATHE_CHECK(is_floating(x.dtype()), "[", op, "] expected a floating tensor, got ", x.dtype(),
              " of shape ", x.shape());
}

void check_floating(const char* op, const char* name, const Tensor& t) {
  LATHE_CHECK(t.defined(), "[", op, "] ", name, " is missing");
  LATHE_CHECK(is_floating(t.dtype()), "[", op, "] ", name, " must be a floating tensor, got ",
              t.dtype());
}

void check_shape(const char* op, const char* name, const Tensor& t, const Shape& shape) {
  check_floating(op, name, t);
  LATHE_CHECK(t.shape() == shape, "[", op, "] ", name, " must have shape ", shape, ", got ",
              t.shape());
}

void check_optional_shape(const char* op, const char* name, const Tensor& t, const Shape& shape) {
  if (t.defined()) check_shape(op, name, t, shape);
}

void check_same_shape(const char* op, const char* a_name, const Tensor& a, const char* b_name,
                      const Tensor& b) {
  LATHE_CHECK(a.shape() == b.shape(), "[", op, "] ", a_name, " ", a.shape(), " and ", b_name,
              " ", b.shape(), " must have the same shape");
}

void check_dim(const char* op, const char* name, const Tensor& t, int ndim) {
  LATHE_CHECK(t.dim() == ndim, "[", op, "] ", name, " must have ", ndim, " dims, got shape ",
              t.shape());
}

DType float_result(const Tensor& a, const Tensor& b) {
  DType t = promote(a.dtype(), b.dtype());
  return is_floating(t) ? t : DType::f32;
}

Reduction parse_reduction(const char* op, const std::string& text) {
  if (text == "none") return Reduction::none;
  if (text == "mean") return Reduction::mean;
  if (text == "sum") return Reduction::sum;
  LATHE_FAIL("[", op, "] reduction must be none, mean or sum, got '", text, "'");
}

const char* reduction_name(Reduction r) {
  switch (r) {
    case Reduction::none: return "none";
    case Reduction::mean: return "mean";
    case Reduction::sum: return "sum";
  }
  return "?";
}

Tensor apply_reduction(const Tensor& loss, Reduction r) {
  if (r == Reduction::none) return loss;
  return r == Reduction::sum ? sum(loss) : mean(loss);
}

Tensor apply_reduction(const Tensor& loss, const std::string& reduction, const char* op) {
  return apply_reduction(loss, parse_reduction(op, reduction));
}

const char* const kActivationDoc =
    "silu | relu | leaky_relu | elu | selu | gelu | gelu_tanh | tanh | sigmoid | softplus";

void check_activation(const char* op, const std::string& name) {
  for (const char* known : {"silu", "relu", "leaky_relu", "elu", "selu", "gelu", "gelu_tanh",
                            "tanh", "sigmoid", "softplus"})
    if (name == known) return;
  LATHE_FAIL("[", op, "] unknown activation '", name, "' (", kActivationDoc, ")");
}

Tensor activation(const char* op, const std::string& name, const Tensor& x) {
  check_activation(op, name);
  if (name == "silu") return silu(x);
  if (name == "relu") return relu(x);
  if (name == "gelu") return gelu(x);
  if (name == "gelu_tanh") return gelu(x, "tanh");
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

}  // namespace lathe
