// BatchNorm and GroupNorm modules (ops: batch_norm, group_norm), as torch.nn's.
#include "core/grad_mode.h"
#include "models/norm/norm.h"
#include "ops/ops.h"

namespace lathe::nn {

BatchNorm::BatchNorm(int64_t channels, double eps_, double momentum_, bool affine, DType dtype,
                     Device device)
    : eps(eps_), momentum(momentum_) {
  LATHE_CHECK(channels > 0, "[BatchNorm] channels must be positive, got ", channels);
  if (affine) {
    weight = add_parameter("weight", ones({channels}, dtype, device));
    bias = add_parameter("bias", zeros({channels}, dtype, device));
  }
  running_mean = add_buffer("running_mean", zeros({channels}, dtype, device));
  running_var = add_buffer("running_var", ones({channels}, dtype, device));
  num_batches_tracked = add_buffer("num_batches_tracked", zeros(Shape(), DType::i64, device));
}

Tensor BatchNorm::forward(const Tensor& x) {
  BatchNormResult r =
      batch_norm(x, running_mean, running_var, weight, bias, is_training(), momentum, eps);
  if (is_training()) {
    NoGradGuard no_grad;
    running_mean.copy_(r.running_mean);
    running_var.copy_(r.running_var);
    num_batches_tracked.add_(1.0);
  }
  return r.y;
}

GroupNorm::GroupNorm(int64_t groups_, int64_t channels, double eps_, bool affine, DType dtype,
                     Device device)
    : groups(groups_), eps(eps_) {
  LATHE_CHECK(groups > 0 && channels > 0 && channels % groups == 0, "[GroupNorm] ", channels,
              " channels cannot be split into ", groups, " equal groups");
  if (affine) {
    weight = add_parameter("weight", ones({channels}, dtype, device));
    bias = add_parameter("bias", zeros({channels}, dtype, device));
  }
}

Tensor GroupNorm::forward(const Tensor& x) { return group_norm(x, groups, weight, bias, eps); }

}  // namespace lathe::nn
