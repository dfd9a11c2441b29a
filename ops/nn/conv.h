// Convolution and pooling (issue 14): conv1d/2d/3d, conv_transpose1d/2d, max_pool1d/2d,
// avg_pool1d/2d, as torch.nn.functional defines them. Layouts: x [N, C, *spatial] or unbatched
// [C, *spatial]; weight [C_out, C_in / groups, *kernel] (transposed: [C_in, C_out / groups,
// *kernel]). A convolution is three fused kernels with composite fallbacks (conv_forward,
// conv_backward_data, conv_backward_weights: ops/nn/conv_grad.h; oneDNN on cpu f32), whose
// backward rules are written with each other, so double backward works on every path; the
// pools are composites. docs/ops-core.md lists their registry entries.
//
// Per-dim attributes (stride, dilation, kernel_size ...) take one value for every spatial dim
// or one per dim, first spatial dim first.
#pragma once

#include <string>
#include <vector>

#include "core/tensor.h"

namespace lathe {

struct ConvOptions {
  std::vector<int64_t> stride{1};
  // One value (every side), one per dim (both sides of it), or two per dim as (lo, hi) pairs in
  // F.pad order: last dim first, e.g. (left, right, top, bottom) for conv2d.
  std::vector<int64_t> padding{0};
  // "same" (output extent = input extent; stride 1; an odd total puts the extra one on the hi
  // side, as PyTorch does), "valid" (no padding) or "" (use `padding`).
  std::string auto_pad;
  std::vector<int64_t> dilation{1};
  int64_t groups = 1;
};

// y = cross-correlation of x with weight, plus bias [C_out] (optional).
Tensor conv1d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor(),
              const ConvOptions& options = ConvOptions());
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor(),
              const ConvOptions& options = ConvOptions());
Tensor conv3d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor(),
              const ConvOptions& options = ConvOptions());

struct ConvTransposeOptions {
  std::vector<int64_t> stride{1};
  std::vector<int64_t> padding{0};         // symmetric, removed from each side of the output
  std::vector<int64_t> output_padding{0};  // added to the hi side; < stride or < dilation
  int64_t groups = 1;
  std::vector<int64_t> dilation{1};
};

// The gradient of conv with respect to its input, as a layer: weight [C_in, C_out / groups, *k].
Tensor conv_transpose1d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor(),
                        const ConvTransposeOptions& options = ConvTransposeOptions());
Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor(),
                        const ConvTransposeOptions& options = ConvTransposeOptions());

struct MaxPoolOptions {
  std::vector<int64_t> kernel_size;
  std::vector<int64_t> stride;  // empty: kernel_size
  std::vector<int64_t> padding{0};
  std::vector<int64_t> dilation{1};
  bool ceil_mode = false;
};

struct MaxPoolResult {
  Tensor y;        // [N, C, *out]
  Tensor indices;  // i64 [N, C, *out]: the flat position of each maximum in x's spatial dims
};

// The first maximum of each window wins ties and takes the whole gradient (as PyTorch).
MaxPoolResult max_pool1d(const Tensor& x, const MaxPoolOptions& options);
MaxPoolResult max_pool2d(const Tensor& x, const MaxPoolOptions& options);

struct AvgPoolOptions {
  std::vector<int64_t> kernel_size;
  std::vector<int64_t> stride;  // empty: kernel_size
  std::vector<int64_t> padding{0};
  bool ceil_mode = false;
  bool count_include_pad = true;
  int64_t divisor_override = 0;  // > 0: divide every window sum by it
};

Tensor avg_pool1d(const Tensor& x, const AvgPoolOptions& options);
Tensor avg_pool2d(const Tensor& x, const AvgPoolOptions& options);

}  // namespace lathe
