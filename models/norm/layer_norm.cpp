// LayerNorm, RMSNorm and CRMSNorm modules (ops: layer_norm, rms_norm, crms_norm).
#include "core/grad_mode.h"
#include "models/norm/norm.h"
#include "ops/ops.h"

namespace lathe::nn {

LayerNorm::LayerNorm(Shape shape, double eps_, bool affine, DType dtype, Device device)
    : normalized_shape(shape), eps(eps_) {
  LATHE_CHECK(!shape.empty() && numel(shape) > 0,
              "[LayerNorm] normalized_shape must be a non-empty shape with elements, got ", shape);
  if (affine) {
    weight = add_parameter("weight", ones(shape, dtype, device));
    bias = add_parameter("bias", zeros(shape, dtype, device));
  }
}

Tensor LayerNorm::forward(const Tensor& x) {
  return layer_norm(x, weight, bias, normalized_shape, eps);
}

RMSNorm::RMSNorm(int64_t features, double eps_, bool affine, DType dtype, Device device)
    : eps(eps_) {
  LATHE_CHECK(features > 0, "[RMSNorm] features must be positive, got ", features);
  if (affine) weight = add_parameter("weight", ones({features}, dtype, device));
}

Tensor RMSNorm::forward(const Tensor& x) { return rms_norm(x, weight, eps); }

CRMSNorm::CRMSNorm(int64_t features, double eps_) : compressed_features(features), eps(eps_) {
  LATHE_CHECK(features >= 0, "[CRMSNorm] compressed_features must be >= 0, got ", features);
}

Tensor CRMSNorm::forward(const Tensor& x) {
  LATHE_CHECK(x.dim() >= 1 && x.shape().back() == compressed_features,
              "[CRMSNorm] expected x [..., ", compressed_features,
              "] (a zero-mean vector without its last entry), got ", x.shape());
  return crms_norm(x, eps);
}

}  // namespace lathe::nn
