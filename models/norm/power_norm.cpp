// GroupScaling, PowerNorm and PowerNormVanilla modules (ops: group_scaling, power_norm,
// power_norm_vanilla).
#include "core/grad_mode.h"
#include "models/norm/norm.h"
#include "ops/ops.h"

namespace lathe::nn {

GroupScaling::GroupScaling(int64_t groups_, double eps_) : groups(groups_), eps(eps_) {
  LATHE_CHECK(groups > 0, "[GroupScaling] groups must be positive, got ", groups);
}

Tensor GroupScaling::forward(const Tensor& x) { return group_scaling(x, groups, eps); }

PowerNorm::PowerNorm(int64_t features, PowerNormConfig c, DType dtype, Device device) : config(c) {
  LATHE_CHECK(features > 0, "[PowerNorm] features must be positive, got ", features);
  LATHE_CHECK(c.group_num > 0 && features % c.group_num == 0, "[PowerNorm] ", features,
              " features cannot be split into ", c.group_num, " groups");
  weight = add_parameter("weight", ones({features}, dtype, device));
  bias = add_parameter("bias", zeros({features}, dtype, device));
  running_phi = add_buffer("running_phi", ones({features}, dtype, device));
  ema_gz = add_buffer("ema_gz", zeros({features}, dtype, device));
  iters = add_buffer("iters", zeros({1}, DType::i64, device));
}

Tensor PowerNorm::forward(const Tensor& x) { return forward(x, Tensor()); }

Tensor PowerNorm::forward(const Tensor& x, const Tensor& pad_mask) {
  // fairseq's pad mask is [B, T] for x [T, B, C]; the op wants x's leading shape.
  Tensor mask = pad_mask.defined() && x.dim() == 3 ? transpose(pad_mask, 0, 1) : pad_mask;
  Tensor scaled = group_scaling(x, config.group_num);  // GroupScaling1D's own eps, 1e-5
  PowerNormOptions o;
  o.eps = config.eps;
  o.alpha_fwd = config.alpha_fwd;
  o.alpha_bkw = config.alpha_bkw;
  o.warmup_iters = config.warmup_iters;
  o.code_faithful = config.code_faithful;
  o.training = is_training();
  if (o.training) {
    NoGradGuard no_grad;
    iters.add_(1.0);
    o.step = static_cast<int64_t>(iters.item());
  }
  PowerNormResult r = power_norm(scaled, weight, bias, running_phi, ema_gz, mask, o);
  if (o.training) {
    NoGradGuard no_grad;
    running_phi.copy_(r.running_phi);
  }
  return r.y;
}

PowerNormVanilla::PowerNormVanilla(int64_t features, double eps_, double momentum_, DType dtype,
                                   Device device)
    : eps(eps_), momentum(momentum_) {
  LATHE_CHECK(features > 0, "[PowerNormVanilla] features must be positive, got ", features);
  weight = add_parameter("weight", ones({features}, dtype, device));
  bias = add_parameter("bias", zeros({features}, dtype, device));
  running_phi = add_buffer("running_phi", ones({features}, dtype, device));
}

Tensor PowerNormVanilla::forward(const Tensor& x) {
  if (!is_training()) return weight * x / sqrt(running_phi + eps) + bias;
  Tensor y = power_norm_vanilla(x, weight, bias, eps);
  NoGradGuard no_grad;
  Tensor rows = reshape(x.detach(), {-1, x.shape().back()});  // [M, C]
  running_phi.copy_((1 - momentum) * running_phi + momentum * mean(rows * rows, {0}));
  return y;
}

}  // namespace lathe::nn
