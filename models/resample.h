// Modules over the resampling ops of ops/nn/resample.h and the batch norm of ops/norm/norm.h,
// as torch.nn's: BatchNorm2d (parameters weight, bias; buffers running_mean, running_var,
// num_batches_tracked, the state-dict keys of PyTorch), Upsample and AdaptiveAvgPool2d (no
// parameters).
#pragma once

#include <vector>

#include "models/module.h"
#include "models/norm/norm.h"
#include "ops/nn/resample.h"

namespace lathe::nn {

// torch.nn.BatchNorm2d(C, eps, momentum, affine): BatchNorm on x [N, C, H, W] only. Training
// normalizes with the batch statistics and updates the running ones (the unbiased variance,
// momentum weighting the new value); eval normalizes with the running statistics.
class BatchNorm2d : public BatchNorm {
 public:
  explicit BatchNorm2d(int64_t channels, double eps = 1e-5, double momentum = 0.1,
                       bool affine = true, DType dtype = DType::f32,
                       Device device = default_device())
      : BatchNorm(channels, eps, momentum, affine, dtype, device) {}
  Tensor forward(const Tensor& x) override;
};

// torch.nn.Upsample(size | scale_factor, mode, align_corners): interpolate(x, options).
class Upsample : public Layer {
 public:
  explicit Upsample(InterpolateOptions options) : options(std::move(options)) {}
  Tensor forward(const Tensor& x) override { return interpolate(x, options); }

  InterpolateOptions options;
};

// torch.nn.AdaptiveAvgPool2d(output_size).
class AdaptiveAvgPool2d : public Layer {
 public:
  explicit AdaptiveAvgPool2d(std::vector<int64_t> output_size)
      : output_size(std::move(output_size)) {}
  Tensor forward(const Tensor& x) override { return adaptive_avg_pool2d(x, output_size); }

  std::vector<int64_t> output_size;
};

}  // namespace lathe::nn
