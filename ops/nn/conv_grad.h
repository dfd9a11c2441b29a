// The convolution as three kernels a backend may fuse (issue 14): its forward on the unpadded
// input, and its two gradients, each a public op with a composite of public ops as fallback and
// reference (ops/nn/conv_grad.cpp documents the fused kernels' contracts). conv1d/2d/3d run
// through conv_forward, conv_transpose through conv_backward_data; the backward of each of the
// three is written with the other two (public ops), so higher orders work on every backend.
#pragma once

#include <utility>
#include <vector>

#include "core/tensor.h"

namespace lathe {

// Stride, dilation and (lo, hi) zero padding per spatial dim, first spatial dim first, and
// the channel groups; already checked (conv_nd in ops/nn/conv.cpp).
struct ConvGeometry {
  std::vector<int64_t> stride;
  std::vector<int64_t> dilation;
  std::vector<std::pair<int64_t, int64_t>> padding;
  int64_t groups = 1;
};

// y [N, O, *out] = conv of x [N, C, *S] (zero padded by geometry.padding) with weight
// [O, C / G, *K], no bias.
Tensor conv_forward(const Tensor& x, const Tensor& weight, const ConvGeometry& geometry);
// The gradient of conv_forward with respect to x, given gy [N, O, *out]: [N, C, *S] with
// x_shape [N, C, *S] (a transposed convolution of gy).
Tensor conv_backward_data(const Tensor& gy, const Tensor& weight, const ConvGeometry& geometry,
                          const Shape& x_shape);
// The gradient of conv_forward with respect to the weight, given x and gy: [O, C / G, *K] with
// weight_shape [O, C / G, *K] (the correlation of x with gy).
Tensor conv_backward_weights(const Tensor& x, const Tensor& gy, const ConvGeometry& geometry,
                             const Shape& weight_shape);

}  // namespace lathe
