// Module forms of the normalization family (catalog/normalization.md, "Module form"): each owns
// its parameters and running buffers and calls the functional op of ops/norm/norm.h, where the
// math, the gradients and the state protocol are documented and tested. Buffers are updated in
// place under NoGradGuard, so handles held elsewhere (optimizers, state dicts) stay valid.
// Parameter and buffer names follow the reference implementations, so state dicts line up.
#pragma once

#include <string>

#include "models/module.h"
#include "ops/norm/norm.h"

namespace lathe::nn {

// LayerNorm(normalized_shape, eps, elementwise_affine): weight 1 and bias 0 of shape
// normalized_shape when affine. No buffers; train and eval agree.
class LayerNorm : public Layer {
 public:
  explicit LayerNorm(Shape normalized_shape, double eps = 1e-5, bool elementwise_affine = true,
                     DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& x) override;

  Shape normalized_shape;
  double eps;
  Tensor weight, bias;  // undefined without elementwise_affine
};

// RMSNorm(D, eps, affine): optional weight [D] init 1 (off by default: the Pre-RMSNorm reference
// folds it into the next linear layer). No buffers.
class RMSNorm : public Layer {
 public:
  explicit RMSNorm(int64_t features, double eps = 1e-5, bool affine = false,
                   DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& x) override;

  double eps;
  Tensor weight;  // undefined without affine
};

// CRMSNorm(D - 1, eps) on compressed zero-mean vectors [..., D - 1]. No parameters, no buffers.
class CRMSNorm : public Layer {
 public:
  explicit CRMSNorm(int64_t compressed_features, double eps = 1e-5);
  Tensor forward(const Tensor& x) override;

  int64_t compressed_features;
  double eps;
};

// GroupScaling1D(group_num, eps): no parameters, no buffers.
class GroupScaling : public Layer {
 public:
  explicit GroupScaling(int64_t groups = 4, double eps = 1e-5);
  Tensor forward(const Tensor& x) override;

  int64_t groups;
  double eps;
};

struct PowerNormConfig {
  double eps = 1e-5;
  double alpha_fwd = 0.9;
  double alpha_bkw = 0.9;
  int64_t warmup_iters = 10000;  // fairseq passes --warmup-updates
  int64_t group_num = 1;         // fairseq passes the number of attention heads
  bool code_faithful = true;
};

// MaskPowerNorm: group_scaling(x, group_num) first, then power_norm. Parameters weight [C] 1,
// bias [C] 0; buffers running_phi [C] 1, ema_gz [C] 0 (written by the backward), iters i64 [1] 0,
// incremented before every training forward (the first sees t = 1). Eval:
// weight x / sqrt(running_phi + eps) + bias after group scaling; no buffer changes.
class PowerNorm : public Layer {
 public:
  explicit PowerNorm(int64_t features, PowerNormConfig config = PowerNormConfig(),
                     DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& x) override;
  // x [T, B, C] with pad_mask [B, T] (fairseq's layout, true = padding); a 2-D x [N, C] takes a
  // pad_mask [N].
  Tensor forward(const Tensor& x, const Tensor& pad_mask);

  PowerNormConfig config;
  Tensor weight, bias;
  Tensor running_phi, ema_gz, iters;
};

struct UnifiedNormConfig {
  int64_t window_fwd = 4;  // UN1d's window_size (an int, or a pair for the two windows)
  int64_t window_bwd = 4;
  int64_t warmup_iters = 4000;
  bool outlier_filtration = false;  // the authors: false for NLP, true for CV
  double eps = 1e-5;
  double momentum = 0.9;
};

// UN1d: parameters weight [C] 1, bias [C] 0; buffers running_var [C] 1, ema_gz [C] 0,
// iters i64 [1] 0, buffer_x2 [window_fwd, C] 0, buffer_gz [window_bwd, C] 0 and skip_counter
// i64 [1] 0 (steps the outlier filtration skipped). Eval: weight x / sqrt(running_var + eps) +
// bias. Reset iters to 0 when fine-tuning from a checkpoint so that warmup runs again.
class UnifiedNorm : public Layer {
 public:
  explicit UnifiedNorm(int64_t channels, UnifiedNormConfig config = UnifiedNormConfig(),
                       DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& x) override;
  // x [B, N, C] with pad_mask [B, N] (true = padding).
  Tensor forward(const Tensor& x, const Tensor& pad_mask);

  UnifiedNormConfig config;
  Tensor weight, bias;
  Tensor running_var, ema_gz, iters, buffer_x2, buffer_gz, skip_counter;
};

// PN-V: weight [C] 1, bias [C] 0; buffer running_phi [C] 1. Training normalizes by the batch
// quadratic mean and updates running_phi <- (1 - momentum) running_phi + momentum psi2_B; eval
// uses running_phi. The buffer and its momentum are assumptions (ops/norm/power_norm_vanilla.cpp).
class PowerNormVanilla : public Layer {
 public:
  explicit PowerNormVanilla(int64_t features, double eps = 1e-5, double momentum = 0.1,
                            DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& x) override;

  double eps, momentum;
  Tensor weight, bias, running_phi;
};

// EvoNorm-B0 on [N, C, *]: gamma 1 (0 with init_zero), beta 0, v 1, all [1, C, 1, 1]; buffer
// moving_var [1, C, 1, 1] 1, updated in training (not when nonlinearity is off), used in eval.
class EvoNormB0 : public Layer {
 public:
  explicit EvoNormB0(int64_t channels, double eps = 1e-5, double decay = 0.9,
                     bool nonlinearity = true, bool init_zero = false, DType dtype = DType::f32,
                     Device device = default_device());
  Tensor forward(const Tensor& x) override;

  double eps, decay;
  bool nonlinearity;
  Tensor gamma, beta, v, moving_var;
};

// EvoNorm-S0 on [N, C, *]: gamma 1, beta 0, v 1, all [1, C, 1, 1]. No buffers; train = eval.
class EvoNormS0 : public Layer {
 public:
  explicit EvoNormS0(int64_t channels, int64_t groups = 32, double eps = 1e-5,
                     bool nonlinearity = true, DType dtype = DType::f32,
                     Device device = default_device());
  Tensor forward(const Tensor& x) override;

  int64_t groups;
  double eps;
  bool nonlinearity;
  Tensor gamma, beta, v;
};

// L1 normalization. mode "batch" (x [N, C, *], per channel): weight [C] 1, bias [C] 0, buffers
// running_mean [C] 0 and running_l1 [C] 1 (the scale c mean|x - mu|), updated like
// torch.nn.BatchNorm's running statistics (momentum 0.1: an assumption, see
// ops/norm/l1_norm.cpp) and used in eval. mode "layer" (x [..., D], per token): weight and bias
// [D], no buffers, train = eval.
class L1Norm : public Layer {
 public:
  L1Norm(int64_t features, const std::string& mode = "batch", double eps = 1e-5,
         double momentum = 0.1, double c = kL1NormScale, DType dtype = DType::f32,
         Device device = default_device());
  Tensor forward(const Tensor& x) override;

  std::string mode;
  double eps, momentum, c;
  Tensor weight, bias;
  Tensor running_mean, running_l1;  // batch mode only
};

// NonScalingLayerNorm(D, eps, affine_beta, variant): optional bias [D] 0 (set it to beta / gamma
// when converting a trained LayerNorm, and fold gamma into the next linear layer). No buffers.
class NonScalingLayerNorm : public Layer {
 public:
  explicit NonScalingLayerNorm(int64_t features, double eps = 1e-6, bool affine_beta = true,
                               const std::string& variant = "standardize", DType dtype = DType::f32,
                               Device device = default_device());
  Tensor forward(const Tensor& x) override;

  double eps;
  std::string variant;
  Tensor bias;  // undefined without affine_beta
};

// torch.nn.BatchNorm1d/2d: weight [C] 1, bias [C] 0 (when affine); buffers running_mean [C] 0,
// running_var [C] 1 and num_batches_tracked (i64 []), all updated in training only.
class BatchNorm : public Layer {
 public:
  explicit BatchNorm(int64_t channels, double eps = 1e-5, double momentum = 0.1, bool affine = true,
                     DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& x) override;

  double eps, momentum;
  Tensor weight, bias;  // undefined without affine
  Tensor running_mean, running_var, num_batches_tracked;
};

// torch.nn.GroupNorm(groups, C, eps, affine): weight [C] 1, bias [C] 0. No buffers.
class GroupNorm : public Layer {
 public:
  GroupNorm(int64_t groups, int64_t channels, double eps = 1e-5, bool affine = true,
            DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& x) override;

  int64_t groups;
  double eps;
  Tensor weight, bias;  // undefined without affine
};

}  // namespace lathe::nn
