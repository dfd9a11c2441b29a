// The normalization family (catalog/normalization.md): one functional op per file in ops/norm/,
// parameters passed as tensors, state passed explicitly (DESIGN rule 9). Module forms that own
// parameters and running buffers live in models/norm/norm.h. ops/norm/README.md describes the
// conventions shared by the family (statistics dtype, state tensors, custom backward rules).
//
// Layouts: "last dim" ops take x [..., D]; "channel" ops take x [N, C, *] and per-channel
// parameters of shape [C] or [1, C, 1, ...]; the row-statistics ops (power_norm, unified_norm,
// power_norm_vanilla, group_scaling) take x [..., C] and treat every leading index as a row.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

// y = (x - mean) / sqrt(var + eps) * weight + bias over the trailing `normalized_shape` dims
// (empty: the last dim). weight and bias are optional, of shape normalized_shape.
Tensor layer_norm(const Tensor& x, const Tensor& weight = Tensor(), const Tensor& bias = Tensor(),
                  const Shape& normalized_shape = Shape(), double eps = 1e-5);

// Its gradients given the row statistics (mean, rstd: [numel / D]): {dx, dweight, dbias}
// (ops/norm/layer_norm.cpp; fused kernels when the backend has them).
std::vector<Tensor> layer_norm_backward(const Tensor& g, const Tensor& x, const Tensor& weight,
                                        const Tensor& mean, const Tensor& rstd,
                                        const Shape& normalized_shape = Shape());

// y = x / sqrt(mean(x^2) + eps) * weight over the last dim; weight [D] optional.
Tensor rms_norm(const Tensor& x, const Tensor& weight = Tensor(), double eps = 1e-5);
// Its gradients given rstd [numel / D]: {dx, dweight}.
std::vector<Tensor> rms_norm_backward(const Tensor& g, const Tensor& x, const Tensor& weight,
                                      const Tensor& rstd);

// Compressed RMSNorm of a zero-mean vector stored without its last entry: x [..., D - 1],
// y = x / sqrt((sum x^2 + (sum x)^2) / D + eps).
Tensor crms_norm(const Tensor& x, double eps = 1e-5);

// RMSNorm without a scale per (row, group): x [..., C], C divisible by `groups`.
Tensor group_scaling(const Tensor& x, int64_t groups = 4, double eps = 1e-5);

// PN-V: y = weight * x / sqrt(mean_rows(x^2) + eps) + bias, x [..., C], batch statistics.
Tensor power_norm_vanilla(const Tensor& x, const Tensor& weight, const Tensor& bias,
                          double eps = 1e-5);

struct PowerNormOptions {
  double eps = 1e-5;
  double alpha_fwd = 0.9;
  double alpha_bkw = 0.9;
  int64_t warmup_iters = 10000;
  int64_t step = 1;  // this training iteration, counted from 1 (the module's iters)
  bool training = true;
  bool code_faithful = true;  // false: the paper's Algorithm 1 (ops/norm/power_norm.cpp)
};

struct PowerNormResult {
  Tensor y;            // [..., C]
  Tensor running_phi;  // [C], updated by the forward (a new tensor)
};

// PowerNorm with its approximate backward. The backward updates `ema_gz` in place; see
// ops/norm/power_norm.cpp for the state protocol. pad_mask [...] (optional, true = padding)
// keeps padded rows out of the quadratic mean.
PowerNormResult power_norm(const Tensor& x, const Tensor& weight, const Tensor& bias,
                           const Tensor& running_phi, const Tensor& ema_gz,
                           const Tensor& pad_mask = Tensor(),
                           const PowerNormOptions& options = PowerNormOptions());

struct UnifiedNormOptions {
  int64_t step = 1;  // this training iteration, counted from 1 (the module's iters)
  int64_t warmup_iters = 4000;
  bool outlier_filtration = false;
  double eps = 1e-5;
  double momentum = 0.9;
  bool training = true;
};

struct UnifiedNormResult {
  Tensor y;            // [..., C]
  Tensor skipped;      // bool []: the step used batch statistics (outlier or window of one)
  Tensor running_var;  // [C], updated by the forward (a new tensor)
  Tensor buffer_x2;    // [M_fwd, C], updated by the forward (a new tensor)
};

// Unified Normalization with its defined backward, which updates `ema_gz` [C] and `buffer_gz`
// [M_bwd, C] in place; see ops/norm/unified_norm.cpp.
UnifiedNormResult unified_norm(const Tensor& x, const Tensor& weight, const Tensor& bias,
                               const Tensor& running_var, const Tensor& buffer_x2,
                               const Tensor& ema_gz, const Tensor& buffer_gz,
                               const Tensor& pad_mask = Tensor(),
                               const UnifiedNormOptions& options = UnifiedNormOptions());

struct EvoNormB0Result {
  Tensor y;           // like x
  Tensor moving_var;  // like the moving_var given, updated in training (a new tensor)
};

// EvoNorm-B0 on x [N, C, *]: y = x / max(sqrt(var_batch + eps), v x + sqrt(var_instance + eps))
// * gamma + beta; eval uses moving_var for var_batch. nonlinearity=false: y = x * gamma + beta.
EvoNormB0Result evonorm_b0(const Tensor& x, const Tensor& gamma, const Tensor& beta,
                           const Tensor& v, const Tensor& moving_var, bool training = true,
                           double decay = 0.9, double eps = 1e-5, bool nonlinearity = true);

// EvoNorm-S0 on x [N, C, *]: y = x sigmoid(v x) / sqrt(var_group + eps) * gamma + beta, with
// `groups` lowered until it divides C. nonlinearity=false: y = x * gamma + beta.
Tensor evonorm_s0(const Tensor& x, const Tensor& gamma, const Tensor& beta, const Tensor& v,
                  int64_t groups = 32, double eps = 1e-5, bool nonlinearity = true);

// sqrt(pi / 2): mean |x - mu| times this equals the std for Gaussian data.
constexpr double kL1NormScale = 1.2533141373155002512;

// y = (x - mean) / (c * mean|x - mean| + eps) * weight + bias, statistics over `axes`
// ([-1]: per token; [0, 2, 3]: per channel of NCHW); weight and bias broadcast against x.
Tensor l1_norm(const Tensor& x, const Tensor& weight, const Tensor& bias,
               const Axes& axes = Axes{-1}, double eps = 1e-5, double c = kL1NormScale);

// LayerNorm without the scale gamma over the last dim. variant "standardize":
// (x - mean) / sqrt(var + eps) + bias; "center": x - mean + bias. bias [D] optional.
Tensor non_scaling_layernorm(const Tensor& x, const Tensor& bias = Tensor(),
                             const std::string& variant = "standardize", double eps = 1e-6);

struct BatchNormResult {
  Tensor y;
  Tensor running_mean;  // [C], updated in training (a new tensor)
  Tensor running_var;   // [C], updated with the unbiased batch variance in training
};

// torch.nn.functional.batch_norm on x [N, C, *]; weight and bias [C] optional.
BatchNormResult batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var,
                           const Tensor& weight = Tensor(), const Tensor& bias = Tensor(),
                           bool training = true, double momentum = 0.1, double eps = 1e-5);

// torch.nn.functional.group_norm on x [N, C, *]; weight and bias [C] optional.
Tensor group_norm(const Tensor& x, int64_t groups, const Tensor& weight = Tensor(),
                  const Tensor& bias = Tensor(), double eps = 1e-5);

}  // namespace lathe
