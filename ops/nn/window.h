// Shared by the convolution and pooling composites (ops/nn/conv.cpp, conv_transpose.cpp,
// pool.cpp): per-dim attribute expansion, the sliding windows of a padded input, and the
// padded-convolution core that conv_transpose reuses.
#pragma once

#include <string>
#include <vector>

#include "core/tensor.h"

namespace lathe {

// One value per spatial dim from `v` (one value, or `d` of them), each >= min_value; throws
// "[op] name ..." otherwise.
std::vector<int64_t> per_dim(const char* op, const char* name, const std::vector<int64_t>& v,
                             int d, int64_t min_value);

// The input as [N, C, *spatial]: checks it is floating with d + 1 (unbatched) or d + 2 dims.
Tensor batched_input(const char* op, const Tensor& x, int d);

// The shape as "[a, b]" for messages.
std::string shape_text(const std::vector<int64_t>& v);

// Every window of xp [N, C, *P] in row-major kernel-offset order: window k is the strided view
// xp[:, :, k_i * dilation_i :: stride_i] of extent out_i along each spatial dim: [N, C, *out].
std::vector<Tensor> windows(const Tensor& xp, const std::vector<int64_t>& kernel,
                            const std::vector<int64_t>& stride,
                            const std::vector<int64_t>& dilation,
                            const std::vector<int64_t>& out);

// x [..., S, ...] -> [..., (S - 1) s + 1, ...]: s - 1 zeros between neighbours along `axis`.
Tensor spread(const Tensor& x, int axis, int64_t s);
// Pads (or, for a negative amount, crops) `axis` by lo and hi.
Tensor pad_or_crop(const Tensor& x, int axis, int64_t lo, int64_t hi);
// A transposed convolution's weight [C_in, C_out / G, *K] as the weight of the equivalent
// stride-1 convolution: in and out channels swapped per group, taps flipped: [C_out, C_in / G,
// *K]. Applied to a convolution's weight [O, C / G, *K] it gives the weight of its input
// gradient, [C, O / G, *K].
Tensor flipped_transposed_weight(const Tensor& weight, int64_t groups);

// ---- defined in ops/nn/conv.cpp, shared with conv_transpose ----
// The convolution of an already padded, batched xp [N, C, *P] with weight [O, C/G, *K]:
// [N, O, *out]. Throws when the dilated kernel is larger than P.
Tensor conv_padded(const char* op, const Tensor& xp, const Tensor& weight,
                   const std::vector<int64_t>& stride, const std::vector<int64_t>& dilation,
                   int64_t groups);
// groups >= 1 divides the input channels x.shape()[1] and out_channels, and the weight holds
// in_channels_per_group = C / groups.
void check_groups(const char* op, const Tensor& x, const Tensor& weight, int64_t groups,
                  int64_t in_channels_per_group, int64_t out_channels);
// y [N, O, *out] + bias [O] along the channel dim (y itself when bias is undefined).
Tensor add_channel_bias(const char* op, const Tensor& y, const Tensor& bias);

}  // namespace lathe
