// UnifiedNorm module (op: unified_norm), the official UN1d.
#include "core/grad_mode.h"
#include "models/norm/norm.h"
#include "ops/ops.h"

namespace lathe::nn {

UnifiedNorm::UnifiedNorm(int64_t channels, UnifiedNormConfig c, DType dtype, Device device)
    : config(c) {
  LATHE_CHECK(channels > 0, "[UnifiedNorm] channels must be positive, got ", channels);
  LATHE_CHECK(c.window_fwd >= 1 && c.window_bwd >= 1, "[UnifiedNorm] windows must be >= 1, got ",
              c.window_fwd, " and ", c.window_bwd);
  weight = add_parameter("weight", ones({channels}, dtype, device));
  bias = add_parameter("bias", zeros({channels}, dtype, device));
  running_var = add_buffer("running_var", ones({channels}, dtype, device));
  ema_gz = add_buffer("ema_gz", zeros({channels}, dtype, device));
  iters = add_buffer("iters", zeros({1}, DType::i64, device));
  buffer_x2 = add_buffer("buffer_x2", zeros({c.window_fwd, channels}, dtype, device));
  buffer_gz = add_buffer("buffer_gz", zeros({c.window_bwd, channels}, dtype, device));
  skip_counter = add_buffer("skip_counter", zeros({1}, DType::i64, device));
}

Tensor UnifiedNorm::forward(const Tensor& x) { return forward(x, Tensor()); }

Tensor UnifiedNorm::forward(const Tensor& x, const Tensor& pad_mask) {
  UnifiedNormOptions o;
  o.warmup_iters = config.warmup_iters;
  o.outlier_filtration = config.outlier_filtration;
  o.eps = config.eps;
  o.momentum = config.momentum;
  o.training = is_training();
  if (o.training) {
    NoGradGuard no_grad;
    iters.add_(1.0);
    o.step = static_cast<int64_t>(iters.item());
  }
  UnifiedNormResult r =
      unified_norm(x, weight, bias, running_var, buffer_x2, ema_gz, buffer_gz, pad_mask, o);
  if (o.training) {
    NoGradGuard no_grad;
    running_var.copy_(r.running_var);
    buffer_x2.copy_(r.buffer_x2);
    // A forward window of one skips every step; the counter counts the filtration's skips.
    if (config.window_fwd > 1 && r.skipped.item() != 0) skip_counter.add_(1.0);
  }
  return r.y;
}

}  // namespace lathe::nn
