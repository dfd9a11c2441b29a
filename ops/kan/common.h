// Pieces the KAN layers share beyond the composite kit (checks and base activations by name are
// in ops/composite.h): the ReLU-KAN phase check, and the LayerNorm that ReLU-KAN, AF-KAN and
// FastKAN put in front of (or behind) their bases.
#pragma once

#include "ops/composite.h"

namespace lathe::kan {

// ReLU-KAN phases: low and high [width] (shared) or [in, width] (per feature), same shapes.
void check_phases(const char* op, const Tensor& x, const Tensor& low, const Tensor& high,
                  int64_t width);

// PyTorch's nn.LayerNorm over the last axis (lathe::layer_norm, so a fused kernel applies),
// with the weight and bias errors naming them as the layers do: norm_weight, norm_bias.
Tensor layer_norm_last(const char* op, const Tensor& x, const Tensor& weight, const Tensor& bias,
                       double eps = 1e-5);

// x [..., in] -> [..., in, 1], ready to broadcast against per-feature knots [in, m] or [m].
Tensor per_feature(const Tensor& x);

}  // namespace lathe::kan
