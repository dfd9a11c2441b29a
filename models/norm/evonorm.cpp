// EvoNormB0 and EvoNormS0 modules (ops: evonorm_b0, evonorm_s0).
#include "core/grad_mode.h"
#include "models/norm/norm.h"
#include "ops/ops.h"

namespace lathe::nn {

EvoNormB0::EvoNormB0(int64_t channels, double eps_, double decay_, bool nonlinearity_,
                     bool init_zero, DType dtype, Device device)
    : eps(eps_), decay(decay_), nonlinearity(nonlinearity_) {
  LATHE_CHECK(channels > 0, "[EvoNormB0] channels must be positive, got ", channels);
  Shape shape{1, channels, 1, 1};
  gamma = add_parameter("gamma", full(shape, init_zero ? 0.0 : 1.0, dtype, device));
  beta = add_parameter("beta", zeros(shape, dtype, device));
  v = add_parameter("v", ones(shape, dtype, device));
  moving_var = add_buffer("moving_var", ones(shape, dtype, device));
}

Tensor EvoNormB0::forward(const Tensor& x) {
  EvoNormB0Result r =
      evonorm_b0(x, gamma, beta, v, moving_var, is_training(), decay, eps, nonlinearity);
  if (is_training() && nonlinearity) {
    NoGradGuard no_grad;
    moving_var.copy_(r.moving_var);
  }
  return r.y;
}

EvoNormS0::EvoNormS0(int64_t channels, int64_t groups_, double eps_, bool nonlinearity_,
                     DType dtype, Device device)
    : groups(groups_), eps(eps_), nonlinearity(nonlinearity_) {
  LATHE_CHECK(channels > 0 && groups > 0, "[EvoNormS0] channels and groups must be positive, got ",
              channels, " and ", groups);
  Shape shape{1, channels, 1, 1};
  gamma = add_parameter("gamma", ones(shape, dtype, device));
  beta = add_parameter("beta", zeros(shape, dtype, device));
  v = add_parameter("v", ones(shape, dtype, device));
}

Tensor EvoNormS0::forward(const Tensor& x) {
  return evonorm_s0(x, gamma, beta, v, groups, eps, nonlinearity);
}

}  // namespace lathe::nn
