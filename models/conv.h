// Convolution and pooling modules over the ops of ops/nn/conv.h, as torch.nn's: Conv1d, Conv2d,
// ConvTranspose2d (parameters "weight", "bias"), MaxPool2d, AvgPool2d (none).
// Initialization as PyTorch's: kaiming_uniform(a = sqrt(5)) for the weight, which is
// U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the bias from the same bound; fan_in is
// weight.size(1) * kernel area (C_in / groups for conv, C_out / groups for the transpose).
#pragma once

#include <vector>

#include "models/module.h"
#include "ops/nn/conv.h"

namespace lathe::nn {

// Conv1d (kernel {k}) or Conv2d (kernel {kh, kw}, or {k} for a square one).
class Conv : public Layer {
 public:
  Conv(int dims, int64_t in_channels, int64_t out_channels, std::vector<int64_t> kernel_size,
       const ConvOptions& options, bool bias, DType dtype, Device device);
  Tensor forward(const Tensor& x) override;

  ConvOptions options;
  Tensor weight;  // [out, in / groups, *kernel]
  Tensor bias;    // [out]; undefined without bias

 private:
  int dims_;
};

class Conv1d : public Conv {
 public:
  Conv1d(int64_t in_channels, int64_t out_channels, int64_t kernel_size,
         const ConvOptions& options = ConvOptions(), bool bias = true, DType dtype = DType::f32,
         Device device = default_device())
      : Conv(1, in_channels, out_channels, {kernel_size}, options, bias, dtype, device) {}
};

class Conv2d : public Conv {
 public:
  Conv2d(int64_t in_channels, int64_t out_channels, std::vector<int64_t> kernel_size,
         const ConvOptions& options = ConvOptions(), bool bias = true, DType dtype = DType::f32,
         Device device = default_device())
      : Conv(2, in_channels, out_channels, std::move(kernel_size), options, bias, dtype,
             device) {}
};

class ConvTranspose2d : public Layer {
 public:
  ConvTranspose2d(int64_t in_channels, int64_t out_channels, std::vector<int64_t> kernel_size,
                  const ConvTransposeOptions& options = ConvTransposeOptions(), bool bias = true,
                  DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& x) override;

  ConvTransposeOptions options;
  Tensor weight;  // [in, out / groups, kh, kw]
  Tensor bias;    // [out]; undefined without bias
};

class MaxPool2d : public Layer {
 public:
  explicit MaxPool2d(MaxPoolOptions options) : options(std::move(options)) {}
  Tensor forward(const Tensor& x) override { return max_pool2d(x, options).y; }

  MaxPoolOptions options;
};

class AvgPool2d : public Layer {
 public:
  explicit AvgPool2d(AvgPoolOptions options) : options(std::move(options)) {}
  Tensor forward(const Tensor& x) override { return avg_pool2d(x, options); }

  AvgPoolOptions options;
};

}  // namespace lathe::nn
